package org.devrt.vfs.internal.fat;

import static org.devrt.vfs.internal.fat.Fixtures.p;
import static org.devrt.vfs.internal.fat.Fixtures.read;
import static org.devrt.vfs.internal.fat.Fixtures.write;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Random;

import org.devrt.device.DeviceGoneException;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.junit.Test;

/**
 * A disk pulled at any write of a move between directories leaves what was moved at one of its two names, whole,
 * and the next mount repairs the volume read-write. The old entry's removal (in /a, at lower blocks) reached the disk
 * before the new entry (in /b) when both waited in the cache, and the repair freed the chain as lost clusters: a
 * synced file, or a whole tree, gone.
 */
public class RenameCrashTest {
    private static final int PULLS = 10;

    @Test
    public void aFileMovedToAnotherDirectoryIsAtOneOfItsNamesWhereverTheDiskIsPulled() throws Exception {
        String repairs = "";
        for (int pull = 0; pull < PULLS; pull++) {
            repairs += moveAndPull(false, pull) + "\n";
        }
        assertTrue("some pull left both entries, and the mount removed one:\n" + repairs,
                repairs.contains("1 second entry of an interrupted rename removed"));
    }

    @Test
    public void aDirectoryMovedToAnotherDirectoryIsAtOneOfItsNamesWhereverTheDiskIsPulled() throws Exception {
        String repairs = "";
        for (int pull = 0; pull < PULLS; pull++) {
            repairs += moveAndPull(true, pull) + "\n";
        }
        assertTrue("some pull left both entries, and the mount removed one:\n" + repairs,
                repairs.contains("1 second entry of an interrupted rename removed"));
        assertTrue("some pull left the \"..\" naming the old parent, and the mount fixed it:\n" + repairs,
                repairs.contains("1 \"..\" entry pointed at the parent"));
    }

    /** One move with the disk pulled after {@code pull} writes; returns what the next mount repaired. */
    private static String moveAndPull(boolean directory, int pull) throws Exception {
        String what = (directory ? "directory" : "file") + " moved, disk pulled after " + pull + " writes";
        MemoryBlockDevice disk = Fixtures.formatted(34L << 20, FatType.FAT32, 1);
        FatFileSystem fs = Fixtures.mount(disk);
        fs.createDirectory(p("/a"));
        byte[] data = new byte[200_000];
        new Random(pull).nextBytes(data);
        String from = directory ? "/a/sub" : "/a/precious.bin";
        String to = directory ? "/b/sub" : "/b/precious.bin";
        if (directory) {
            fs.createDirectory(p(from));
        }
        String file = directory ? "/precious.bin" : "";
        write(fs, from + file, data);
        fs.createDirectory(p("/b")); // after the file's clusters: /a's and /b's entries in different cache pages
        fs.sync();

        disk.unplugAfterWrites(pull);
        try {
            fs.rename(p(from), p(to));
            fs.sync();
        } catch (DeviceGoneException expected) {
            // pulled
        }
        MemoryBlockDevice replugged = new MemoryBlockDevice(disk.image(), 512, false);
        FatFileSystem again = Fixtures.mount(replugged);
        assertFalse(what + ": repaired read-write, not left for fsck.fat: " + again.recovery(), again.readOnly());
        byte[] atOld = readOrNull(again, from + file);
        byte[] atNew = readOrNull(again, to + file);
        assertTrue(what + ": at exactly one of its names (old: " + (atOld != null) + ", new: " + (atNew != null)
                + "); mount: " + again.recovery(), (atOld == null) != (atNew == null));
        assertArrayEquals(what + ": whole", data, atOld != null ? atOld : atNew);
        String repaired = again.recovery();
        again.unmount();
        if (directory) {
            Raw raw = new Raw(disk.image());
            int parent = raw.firstCluster(raw.rootEntry(atOld != null ? "A          " : "B          "));
            int sub = raw.firstCluster(entryIn(raw, parent, "SUB        "));
            assertEquals(what + ": its \"..\" names the parent it is in", parent,
                    raw.firstCluster((int) raw.clusterOffset(sub) + 32));
        }
        return repaired;
    }

    /** The offset of the entry named {@code name11} in the directory whose (only) cluster is {@code cluster}. */
    private static int entryIn(Raw raw, int cluster, String name11) {
        int start = (int) raw.clusterOffset(cluster);
        for (int at = start; at < start + raw.bs.clusterSize(); at += 32) {
            if (new String(raw.image, at, 11, java.nio.charset.StandardCharsets.US_ASCII).equals(name11)) {
                return at;
            }
        }
        throw new AssertionError("no " + name11 + " in cluster " + cluster);
    }

    private static byte[] readOrNull(FatFileSystem fs, String path) throws IOException {
        try {
            return read(fs, path);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
