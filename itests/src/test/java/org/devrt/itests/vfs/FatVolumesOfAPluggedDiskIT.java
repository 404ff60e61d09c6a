package org.devrt.itests.vfs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.devrt.device.DeviceEvents;
import org.devrt.vfs.FileInfo;
import org.devrt.vfs.MountInfo;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * An AHCI disk with an MBR, a FAT16 and a FAT32 partition made and filled by Linux's tools, plugged into the running
 * machine: devrt mounts both volumes by itself, the shell shows them, and what devrt writes Linux's tools read back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FatVolumesOfAPluggedDiskIT extends VfsTestSupport {
    static final String SLOT = "00:14.0";
    static final String SHOWN = "shown.img";
    static final String WRITTEN = "written.img";

    @Override
    protected void makeImages(Path dir) throws Exception {
        twoFatPartitions(dir, SHOWN);
        twoFatPartitions(dir, WRITTEN);
    }

    @Test
    public void bothVolumesAreMountedWithNoUserActionAndTheShellShowsThemAsLinuxWould() throws Exception {
        String disk = plugAhci(SLOT, DiskImage.at(imageDir().resolve(SHOWN))) + "/port0";

        awaitEvents(DeviceEvents.MOUNTED, "/mnt/sda1", "/mnt/sda2");
        assertEquals("mount points\n" + state(), List.of("/mnt/sda1", "/mnt/sda2"), mountPoints());
        mountEvents.forEach(e -> assertEquals("device of " + e.getTopic() + " " + e.getProperty(DeviceEvents.MOUNT_POINT),
                disk, e.getProperty(DeviceEvents.DEVICE_ID)));
        assertEquals("lsblk's name of " + disk, "sda", diskName(disk));
        awaitLogLine("for the FAT16 volume", "mounted sda1 (FAT16, read-write, label DEVRT16) on /mnt/sda1");
        awaitLogLine("for the FAT32 volume", "mounted sda2 (FAT32, read-write, label DEVRT32) on /mnt/sda2");

        assertEquals("mount", ""
                + "sda1 on /mnt/sda1 type vfat (rw,FAT16,label=DEVRT16)\n"
                + "sda2 on /mnt/sda2 type vfat (rw,FAT32,label=DEVRT32)", sh("devrt:mount"));
        String serial = "VFS-00140-0";
        assertEquals("lsblk (cells)", List.of(
                "NAME SIZE RO TYPE MODEL SERIAL FSTYPE LABEL MOUNTPOINTS",
                "sda 128M 0 disk " + DISK_MODEL + " " + serial,
                "\u251c\u2500sda1 40M 0 part vfat DEVRT16 /mnt/sda1",
                "\u2514\u2500sda2 87M 0 part vfat DEVRT32 /mnt/sda2"), cells(sh("devrt:lsblk")));
        assertEquals("lsblk -f (cells)", List.of(
                "NAME FSTYPE LABEL MOUNTPOINTS",
                "sda",
                "\u251c\u2500sda1 vfat DEVRT16 /mnt/sda1",
                "\u2514\u2500sda2 vfat DEVRT32 /mnt/sda2"), cells(sh("devrt:lsblk -f")));

        List<String> df = cells(sh("devrt:df"));
        assertEquals("df's header", "Filesystem 1K-blocks Used Available Use% Mounted on", df.get(0));
        for (MountInfo m : vfs.mounts()) {
            long total = (m.totalBytes() + 1023) / 1024;
            long used = (m.totalBytes() - m.freeBytes() + 1023) / 1024;
            long avail = (m.freeBytes() + 1023) / 1024;
            String row = m.source() + " " + total + " " + used + " " + avail + " ";
            assertTrue("df has no row '" + row + "... " + m.mountPoint() + "' for " + m + ":\n" + String.join("\n", df),
                    df.stream().anyMatch(l -> l.startsWith(row) && l.endsWith(" " + m.mountPoint())));
        }
        String dfh = sh("devrt:df -h");
        for (String p : List.of("1", "2")) {
            Pattern row = Pattern.compile("sda" + p + " +\\d+M +\\d+(\\.\\d)?[KM] +\\d+M +\\d+% /mnt/sda" + p);
            assertTrue("df -h has no row for sda" + p + " in M with a percentage:\n" + dfh,
                    dfh.lines().anyMatch(l -> row.matcher(l).matches()));
        }

        String ls = sh("devrt:ls -l /mnt/sda1");
        List<String> expected = List.of(
                "-rw- +23 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d A file with a long name\\.txt",
                "drw- +0 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d Deep Folder/",
                "-rw- +18 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d Gr\u00fc\u00dfe aus K\u00f6ln\\.txt",
                "-rw- +0 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d empty\\.txt",
                "-rw- +150001 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d random\\.bin");
        List<String> lines = ls.lines().toList();
        assertEquals("lines of ls -l /mnt/sda1 (the names mcopy wrote, in directory order):\n" + ls, expected.size(),
                lines.size());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue("line " + (i + 1) + " of ls -l /mnt/sda1 is not /" + expected.get(i) + "/:\n" + ls,
                    lines.get(i).matches(expected.get(i)));
        }
        assertEquals("ls of a nested folder", "Nested file.TXT",
                sh("devrt:ls '/mnt/sda1/Deep Folder/Second Level/Third Level'"));
        assertEquals("ls /mnt/sda2", "Projects/\nbig file.bin", sh("devrt:ls /mnt/sda2"));
        assertEquals("cat of a file three folders down", "nested three levels down",
                sh("devrt:cat '/mnt/sda1/Deep Folder/Second Level/Third Level/Nested file.TXT'"));
        assertEquals("cat of a Unicode long name", "Unicode long name", sh("devrt:cat '/mnt/sda1/Gr\u00fc\u00dfe aus K\u00f6ln.txt'"));
        assertEquals("cat with the name in other case (FAT compares names without case)", "hello from a long name",
                sh("devrt:cat '/mnt/sda1/a FILE with a LONG NAME.TXT'"));
        assertEquals("cat on the FAT32 volume", "quarterly figures", sh("devrt:cat '/mnt/sda2/Projects/2024/Report draft.txt'"));

        FileInfo info = vfs.stat("/mnt/sda1/A file with a long name.txt");
        assertEquals("the 8.3 alias mcopy gave the long name, as devrt reads it", "AFILEW~1.TXT", info.shortName());
        for (Map.Entry<String, byte[]> f : fat16Files().entrySet()) {
            assertSameBytes("/mnt/sda1/" + f.getKey() + " read through the Vfs service", f.getValue(),
                    readVfs("/mnt/sda1/" + f.getKey()));
        }
        for (Map.Entry<String, byte[]> f : fat32Files().entrySet()) {
            assertSameBytes("/mnt/sda2/" + f.getKey() + " read through the Vfs service", f.getValue(),
                    readVfs("/mnt/sda2/" + f.getKey()));
        }
    }

    @Test
    public void whatTheVfsAndTheShellWriteIsReadBackByMtoolsAndFsckFindsTheVolumesConsistentAfterTheUnplug()
            throws Exception {
        DiskImage image = DiskImage.at(imageDir().resolve(WRITTEN));
        String controller = plugAhci(SLOT, image);
        awaitEvents(DeviceEvents.MOUNTED, "/mnt/sda1", "/mnt/sda2");

        // through the Vfs service
        vfs.createDirectory("/mnt/sda2/Written by devrt");
        vfs.createDirectory("/mnt/sda2/Written by devrt/Level two");
        byte[] seeded = seeded(7, 300_001);
        writeVfs("/mnt/sda2/Written by devrt/Level two/Seeded data.bin", seeded);
        byte[] notes = "notes from devrt: \u00fcn\u00efc\u00f6d\u00e9\n".getBytes(UTF_8);
        writeVfs("/mnt/sda1/Notes from devrt.txt", notes);
        // through the shell
        Path host = imageDir().resolve("host file to put.txt");
        byte[] put = "put from the host\n".repeat(1000).getBytes(UTF_8);
        Files.write(host, put);
        assertEquals("put into a folder", "copied " + put.length + " bytes to /mnt/sda1/Deep Folder/host file to put.txt",
                sh("devrt:put '" + host + "' '/mnt/sda1/Deep Folder'"));
        assertEquals("mkdir -p", "", sh("devrt:mkdir -p '/mnt/sda2/made/by the/shell'"));
        assertEquals("mv to a longer name in another folder", "", sh("devrt:mv '/mnt/sda1/A file with a long name.txt' "
                + "'/mnt/sda1/Deep Folder/Second Level/Moved, and with a longer name.txt'"));
        assertEquals("rm -r of a tree mcopy made", "", sh("devrt:rm -r /mnt/sda2/Projects"));
        assertEquals("sync", "", sh("devrt:sync"));
        assertEquals("ls /mnt/sda2 after the changes", "big file.bin\nWritten by devrt/\nmade/", sh("devrt:ls /mnt/sda2"));

        unplug(controller);

        awaitEvents(DeviceEvents.UNMOUNTED, "/mnt/sda1", "/mnt/sda2");
        assertEquals("mount points after the unplug\n" + state(), List.of(), mountPoints());
        awaitLogLine("for the unmount of sda1", "unmounted /mnt/sda1 (sda1): disk sda was removed");
        awaitLogLine("for the unmount of sda2", "unmounted /mnt/sda2 (sda2): disk sda was removed");

        DiskImage.Part p1 = image.part(1);
        DiskImage.Part p2 = image.part(2);
        assertFsckClean("synced, then the disk unplugged", image, p1, true);
        assertFsckClean("synced, then the disk unplugged", image, p2, true);
        assertSameBytes("Seeded data.bin as mcopy reads it", seeded,
                image.read(p2, "/Written by devrt/Level two/Seeded data.bin"));
        assertEquals("Notes from devrt.txt as mtype prints it", new String(notes, UTF_8),
                image.type(p1, "/Notes from devrt.txt"));
        assertSameBytes("the file put by the shell, as mcopy reads it", put,
                image.read(p1, "/Deep Folder/host file to put.txt"));
        assertSameBytes("the moved file, as mcopy reads it", fat16Files().get("A file with a long name.txt"),
                image.read(p1, "/Deep Folder/Second Level/Moved, and with a longer name.txt"));
        List<String> tree2 = image.tree(p2).stream().sorted().toList();
        assertEquals("partition 2 as mdir lists it (sorted)", List.of("/Written by devrt/",
                "/Written by devrt/Level two/", "/Written by devrt/Level two/Seeded data.bin", "/big file.bin", "/made/",
                "/made/by the/", "/made/by the/shell/"), tree2);
        List<String> tree1 = image.tree(p1);
        assertTrue("the moved file is still in the root of partition 1: " + tree1,
                !tree1.contains("/A file with a long name.txt"));

        // re-plugged: the mount repairs what a pull can leave and, unmounted cleanly, fsck.fat finds nothing at all
        mountEvents.clear(); // every UNMOUNTED of the first plug has arrived: count this plug's events alone
        String again = plugAhci(SLOT, image);
        awaitEvents(DeviceEvents.MOUNTED, "/mnt/sda1", "/mnt/sda2");
        awaitLogLine("for the repair of sda1", "/mnt/sda1 (sda1): the volume was not unmounted cleanly; repaired: ");
        assertEquals("umount", "", sh("devrt:umount /mnt/sda1"));
        assertEquals("umount", "", sh("devrt:umount /mnt/sda2"));
        awaitEvents(DeviceEvents.UNMOUNTED, "/mnt/sda1", "/mnt/sda2");
        assertFsckClean("re-plugged, repaired by the mount, unmounted", image, p1, false);
        assertFsckClean("re-plugged, repaired by the mount, unmounted", image, p2, false);
        assertSameBytes("Seeded data.bin after the repair", seeded,
                image.read(p2, "/Written by devrt/Level two/Seeded data.bin"));
        unplug(again);
    }
}
