package org.devrt.itests.vfs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.devrt.device.DeviceEvents;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A blank disk (all zeros, no partition table) is plugged: nothing is mounted and nothing is wrong. {@code mkfs} in
 * the shell makes a FAT filesystem on it as mkfs.fat would for that size; it mounts, takes files, passes fsck.fat,
 * and is mounted by itself when the disk comes again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MkfsOfABlankDiskIT extends VfsTestSupport {
    static final String SLOT = "00:16.0";
    static final long BYTES = 64L << 20;

    @Override
    protected void makeImages(Path dir) throws Exception {
        DiskImage.blank(dir.resolve("blank.img"), BYTES);
        // what mkfs.fat makes of the same size, to compare devrt's choice of FAT type and cluster size with
        DiskImage reference = DiskImage.blank(dir.resolve("mkfs.fat-reference.img"), BYTES);
        HostTools.run("mkfs.fat", reference.file.toString()).ok();
    }

    @Test
    public void mkfsMakesAFilesystemAsMkfsFatWouldThatMountsTakesFilesAndPassesFsck() throws Exception {
        DiskImage image = DiskImage.at(imageDir().resolve("blank.img"));
        String controller = plugAhci(SLOT, image);
        String disk = controller + "/port0";
        await("lsblk lists " + disk, () -> {
            try {
                return sh("devrt:lsblk -f").lines().anyMatch(l -> l.equals("sda"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("lsblk's name of " + disk, "sda", diskName(disk));
        awaitLogLine("for the blank disk's arrival", "disk sda (" + disk + "): " + BYTES / 512 + " blocks of 512 bytes");
        assertEquals("mount points with only a blank disk\n" + state(), List.of(), mountPoints());
        assertEquals("lsblk -f of the blank disk", List.of("NAME FSTYPE LABEL MOUNTPOINTS", "sda"),
                cells(sh("devrt:lsblk -f")));

        String made = sh("devrt:mkfs -n fresh sda");

        DiskImage.Bpb ref = DiskImage.at(imageDir().resolve("mkfs.fat-reference.img")).bpb(new DiskImage.Part(0, 0, 1));
        Matcher m = Pattern.compile("sda: FAT(\\d+), (\\d+) clusters of (\\d+) bytes, (\\d+) sectors of 512 bytes\n"
                + "not mounted: 'mount sda /mnt/sda' mounts it").matcher(made);
        assertTrue("mkfs answered: " + made, m.matches());
        assertEquals("FAT type devrt's mkfs chose for " + BYTES + " bytes, against mkfs.fat's", "FAT" + ref.bits(),
                "FAT" + m.group(1));
        assertEquals("cluster size devrt's mkfs chose, against mkfs.fat's", ref.sectorsPerCluster() * 512,
                Integer.parseInt(m.group(3)));
        assertEquals("sectors mkfs formatted", BYTES / 512, Long.parseLong(m.group(4)));
        assertEquals("lsblk -f after mkfs", List.of("NAME FSTYPE LABEL MOUNTPOINTS", "sda vfat FRESH"),
                cells(sh("devrt:lsblk -f")));

        assertEquals("mount sda /mnt/fresh", "", sh("devrt:mount sda /mnt/fresh"));
        awaitEvents(DeviceEvents.MOUNTED, "/mnt/fresh");
        assertEquals("mount", "sda on /mnt/fresh type vfat (rw,FAT" + ref.bits() + ",label=FRESH)", sh("devrt:mount"));
        assertEquals("ls of the new volume", "", sh("devrt:ls /mnt/fresh"));
        Path host = imageDir().resolve("First file on a fresh volume.txt");
        byte[] text = "the first file\n".getBytes(UTF_8);
        Files.write(host, text);
        sh("devrt:put '" + host + "' /mnt/fresh");
        assertEquals("mkfs of a mounted disk", "mkfs: sda: is mounted on /mnt/fresh: umount it first",
                sh("devrt:mkfs sda"));
        assertEquals("umount", "", sh("devrt:umount /mnt/fresh"));
        awaitEvents(DeviceEvents.UNMOUNTED, "/mnt/fresh");

        DiskImage.Part whole = image.whole();
        assertFsckClean("made by devrt's mkfs, a file put, unmounted", image, whole, false);
        assertEquals("the file put, as mtype prints it", "the first file\n",
                image.type(whole, "/First file on a fresh volume.txt"));

        unplug(controller);
        await(controller + " gone from the inventory", () -> inventory.device(controller).isEmpty());
        plugAhci(SLOT, image);

        awaitEvents(DeviceEvents.MOUNTED, "/mnt/sda");
        assertEquals("cat on the volume mounted by itself when the disk came again", "the first file",
                sh("devrt:cat '/mnt/sda/First file on a fresh volume.txt'"));
        assertEquals("errors in the log\n" + state(), List.of(), errorLines());
    }
}
