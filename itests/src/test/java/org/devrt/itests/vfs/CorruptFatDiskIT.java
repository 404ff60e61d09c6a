package org.devrt.itests.vfs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceState;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A disk whose FAT32 partition has a root directory chain that loops (FAT[root] = root, in both FATs: bytes edited
 * after mkfs.fat) and whose FAT16 partition holds a file whose chain loops: the damaged volume is one ERROR that
 * names the disk and is not mounted; the good one is mounted and works, its looped file is a one-line error, and the
 * disk, its driver and the shell carry on.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CorruptFatDiskIT extends VfsTestSupport {
    static final String SLOT = "00:17.0";
    static final String IMAGE = "corrupt.img";
    static final String LOOPED = "LOOPED.BIN";

    @Override
    protected void makeImages(Path dir) throws Exception {
        DiskImage image = twoFatPartitions(dir, IMAGE);
        DiskImage.Part p1 = image.part(1);
        image.copyIn(p1, writeTree(dir.resolve("looped"), Map.of(LOOPED, seeded(5, 16 * 1024))));
        long first = image.firstClusterInFat16Root(p1, "LOOPED  BIN");
        long second = image.fatEntry(p1, first);
        image.setFatEntry(p1, second, first); // first -> second -> first -> ...
        DiskImage.Part p2 = image.part(2);
        long root = image.bpb(p2).rootCluster();
        image.setFatEntry(p2, root, root); // the root directory's chain is root -> root -> ...
    }

    @Test
    public void aLoopedRootChainIsOneErrorNamingTheDiskAndTheOtherVolumeTheDiskAndTheShellCarryOn() throws Exception {
        String controller = plugAhci(SLOT, DiskImage.at(imageDir().resolve(IMAGE)));
        String disk = controller + "/port0";

        awaitEvents(DeviceEvents.MOUNTED, "/mnt/sda1");
        String error = awaitLogLine("for the corrupt FAT32 volume", " ERROR ", "sda2 not mounted");
        assertTrue("the error does not name the disk sda (" + disk + ") and say the chain loops: " + error,
                error.contains("disk sda (" + disk + ")") && error.contains("corrupt") && error.contains("loop"));
        assertEquals("mount points\n" + state(), List.of("/mnt/sda1"), mountPoints());
        assertEquals("lsblk -f", List.of(
                "NAME FSTYPE LABEL MOUNTPOINTS",
                "sda",
                "\u251c\u2500sda1 vfat DEVRT16 /mnt/sda1",
                "\u2514\u2500sda2 vfat"), cells(sh("devrt:lsblk -f")));

        String mount = sh("devrt:mount sda2 /mnt/again");
        assertTrue("mounting the corrupt volume by hand answered: " + mount,
                mount.startsWith("mount: ") && mount.contains("loop") && mount.lines().count() == 1);
        String cat = sh("devrt:cat /mnt/sda1/" + LOOPED);
        assertTrue("cat of a file whose chain loops answered: " + cat,
                cat.startsWith("cat: ") && cat.contains(LOOPED) && cat.contains("loop") && cat.lines().count() == 1);
        assertEquals("cat of a good file on the same volume", "hello from a long name",
                sh("devrt:cat '/mnt/sda1/A file with a long name.txt'"));
        assertSameBytes("random.bin through the Vfs service", fat16Files().get("random.bin"),
                readVfs("/mnt/sda1/random.bin"));
        assertEquals("ls /mnt/sda1", "A file with a long name.txt\nDeep Folder/\nGr\u00fc\u00dfe aus K\u00f6ln.txt\n"
                + "empty.txt\nrandom.bin\n" + LOOPED, sh("devrt:ls /mnt/sda1"));
        assertEquals("the controller's state\n" + state(), DeviceState.BOUND,
                inventory.device(controller).orElseThrow().state());
        assertEquals("ERROR lines since the corrupt disk was plugged: only the one for sda2\n" + state(),
                List.of(error), errorLines());

        unplug(controller);
        awaitEvents(DeviceEvents.UNMOUNTED, "/mnt/sda1");
        assertEquals("mount points after the unplug\n" + state(), List.of(), mountPoints());
    }
}
