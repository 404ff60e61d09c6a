package org.devrt.vfs.internal.fat;

import static org.devrt.vfs.internal.fat.Fixtures.p;
import static org.devrt.vfs.internal.fat.Fixtures.read;
import static org.devrt.vfs.internal.fat.Fixtures.write;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Random;

import org.devrt.vfs.FileInfo;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.junit.Test;

/**
 * An I/O error that cuts a change short leaves the volume read-only, its syncs failing and its dirty flag set, until
 * the next mount repairs it (as Linux's errors=remount-ro); a refusal made before anything changed (no space) does not.
 */
public class IoErrorTest {

    @Test
    public void aRenameCutShortByAFailedFlushLeavesTheVolumeReadOnlyUntilTheNextMountRepairsIt() throws Exception {
        MemoryBlockDevice disk = Fixtures.formatted(34L << 20, FatType.FAT32, 1);
        FatFileSystem fs = Fixtures.mount(disk);
        byte[] data = new byte[100_000];
        new Random(7).nextBytes(data);
        write(fs, "/a.bin", data);
        fs.sync();

        disk.failFlushes(1); // the rename's own flush, between its new entry and the old one's removal
        assertThrows(IOException.class, () -> fs.rename(p("/a.bin"), p("/b.bin")));

        assertTrue("read-only after the rename was cut short", fs.readOnly());
        // Writable, the volume now had two names on one chain: removing one freed the other's clusters.
        FileSystemException refused = assertThrows(FileSystemException.class, () -> fs.delete(p("/b.bin")));
        assertTrue(refused.getMessage(), refused.getMessage().contains("read-only after an I/O error"));
        IOException sync = assertThrows(IOException.class, fs::sync);
        assertTrue(sync.getMessage(), sync.getMessage().contains("may not be on the disk"));
        fs.unmount();

        FatFileSystem again = Fixtures.mount(new MemoryBlockDevice(disk.image(), 512, false));
        assertTrue("the unmount left the volume dirty for the next mount", again.wasDirty());
        assertTrue(again.recovery(), again.recovery().contains("second entry of an interrupted rename removed"));
        assertFalse("repaired read-write", again.readOnly());
        List<FileInfo> left = again.list(List.of());
        assertEquals("one name left: " + left, 1, left.size());
        assertArrayEquals("the file, whole, at " + left.get(0).name(), data, read(again, "/" + left.get(0).name()));
    }

    @Test
    public void aSyncAfterAFailedFlushNeverReportsSuccess() throws Exception {
        MemoryBlockDevice disk = Fixtures.formatted(34L << 20, FatType.FAT32, 1);
        FatFileSystem fs = Fixtures.mount(disk);
        write(fs, "/f.bin", new byte[8192]);

        disk.failFlushes(1);
        assertThrows("the sync whose flush failed", IOException.class, fs::sync);
        // The pages it wrote are clean in the cache: a later flush that succeeds says nothing of them.
        IOException again = assertThrows("the next sync", IOException.class, fs::sync);
        assertTrue(again.getMessage(), again.getMessage().contains("FLUSH CACHE EXT failed"));
    }

    @Test
    public void runningOutOfSpaceIsARefusalNotAnErrorOfTheVolume() throws Exception {
        MemoryBlockDevice disk = Fixtures.formatted(34L << 20, FatType.FAT32, 1);
        FatFileSystem fs = Fixtures.mount(disk);
        assertThrows(IOException.class, () -> write(fs, "/big.bin", new byte[40 << 20]));

        assertFalse("still read-write", fs.readOnly());
        fs.delete(p("/big.bin"));
        write(fs, "/small.bin", new byte[512]);
        fs.sync();
    }
}
