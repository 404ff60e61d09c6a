package org.devrt.vfs.internal.fat;

import static org.devrt.vfs.internal.fat.Fixtures.p;
import static org.devrt.vfs.internal.fat.Fixtures.read;
import static org.devrt.vfs.internal.fat.Fixtures.write;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.devrt.vfs.CorruptFilesystemException;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.junit.Test;

/** Damaged media end in a CorruptFilesystemException naming the path and the problem, in bounded time. */
public class FatCorruptionTest {
    /** A FAT16 volume (512-byte clusters) with /FILE.BIN of 4 clusters and /DIR/ holding 40 entries. */
    private static MemoryBlockDevice volume() throws Exception {
        MemoryBlockDevice d = Fixtures.formatted(8L << 20, FatType.FAT16, 1);
        FatFileSystem fs = Fixtures.mount(d);
        write(fs, "/FILE.BIN", new byte[2048]);
        fs.createDirectory(p("/DIR"));
        for (int i = 0; i < 40; i++) {
            write(fs, "/DIR/F" + i, new byte[0]);
        }
        fs.unmount();
        return d;
    }

    private static String readProblem(MemoryBlockDevice d, String path) throws Exception {
        FatFileSystem fs = Fixtures.mount(d);
        return assertThrows(CorruptFilesystemException.class, () -> read(fs, path)).getMessage();
    }

    /**
     * On FAT12/16 DIR_FstClusHI is no part of the cluster number: OS/2 and Windows NT keep an extended-attribute
     * handle there, which Linux and fsck.fat read past. It was taken as the high word ("the first cluster 196610 is
     * outside the volume's clusters"), and a write zeroed it.
     */
    @Test(timeout = 5000)
    public void aFat16EntrysHighClusterWordIsReadPastAndKept() throws Exception {
        MemoryBlockDevice d = volume();
        Raw raw = new Raw(d.image());
        int entry = raw.rootEntry("FILE    BIN");
        raw.b.putShort(entry + 20, (short) 3);
        FatFileSystem fs = Fixtures.mount(d);
        assertEquals(2048, read(fs, "/FILE.BIN").length);
        write(fs, "/FILE.BIN", new byte[3000]); // truncated to nothing, then a new first cluster
        fs.unmount();
        assertEquals("the handle is kept", 3, raw.b.getShort(entry + 20));
        assertEquals(3000, read(Fixtures.mount(d), "/FILE.BIN").length);
    }

    /**
     * FAT[1]'s hard-error bit cleared (the last mount met a disk I/O error, FAT spec section 4) makes the mount check
     * the volume, as a dirty one, and the check sets it again; the bit was ignored.
     */
    @Test(timeout = 5000)
    public void aVolumeWhoseLastMountMetADiskErrorIsCheckedAndTheFlagCleared() throws Exception {
        MemoryBlockDevice d = volume();
        Raw raw = new Raw(d.image());
        raw.setFat(1, raw.fat(0, 1) & ~Fat.FAT16_NO_HARD_ERROR);
        FatFileSystem fs = Fixtures.mount(d);
        assertTrue("checked as a dirty volume", fs.wasDirty());
        assertTrue(fs.recovery(), fs.recovery().startsWith("repaired: "));
        fs.unmount();
        assertEquals("the flag is cleared (the bit set) once checked", Fat.FAT16_NO_HARD_ERROR,
                raw.fat(0, 1) & Fat.FAT16_NO_HARD_ERROR);
        assertTrue(fs.recovery(), !Fixtures.mount(d).wasDirty());
    }

    @Test(timeout = 5000)
    public void aLoopInAFileChain() throws Exception {
        MemoryBlockDevice d = volume();
        Raw raw = new Raw(d.image());
        int first = raw.firstCluster(raw.rootEntry("FILE    BIN"));
        raw.setFat(first + 2, first); // 3rd cluster points back to the 1st
        assertEquals("/mnt/t/FILE.BIN: the cluster chain loops: cluster " + first + " appears twice",
                readProblem(d, "/FILE.BIN"));
    }

    @Test(timeout = 5000)
    public void aLoopAtTheEndOfAFileChain() throws Exception {
        MemoryBlockDevice d = volume();
        Raw raw = new Raw(d.image());
        int first = raw.firstCluster(raw.rootEntry("FILE    BIN"));
        raw.setFat(first + 3, first + 1);
        assertEquals("/mnt/t/FILE.BIN: the cluster chain loops back to cluster " + (first + 1),
                readProblem(d, "/FILE.BIN"));
    }

    @Test(timeout = 5000)
    public void anOutOfRangeCluster() throws Exception {
        MemoryBlockDevice d = volume();
        Raw raw = new Raw(d.image());
        int first = raw.firstCluster(raw.rootEntry("FILE    BIN"));
        raw.setFat(first + 1, 0xFFF0);
        assertEquals("/mnt/t/FILE.BIN: cluster " + (first + 1) + " points to 65520, outside the volume's clusters 2.."
                + raw.bs.maxCluster(), readProblem(d, "/FILE.BIN"));
    }

    @Test(timeout = 5000)
    public void aChainShorterThanTheFile() throws Exception {
        MemoryBlockDevice d = withShortChain();
        assertEquals("/mnt/t/FILE.BIN: the cluster chain is shorter than the file: 2 clusters, the file size needs 4",
                readProblem(d, "/FILE.BIN"));
    }

    /** An open for writing that truncates a damaged file fails, and the file is not left open for good after it. */
    @Test(timeout = 5000)
    public void aTruncateThatFailsOnDamageLeavesTheFileClosed() throws Exception {
        MemoryBlockDevice d = withShortChain();
        FatFileSystem fs = Fixtures.mount(d);
        assertThrows(CorruptFilesystemException.class, () -> fs.open(p("/FILE.BIN"), java.util.Set.of(
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)));
        assertEquals("no file left open", java.util.List.of(), fs.openFiles());
    }

    /**
     * A damaged file can be removed (it could not: every rm named the damage): its entry goes, its clusters stay
     * allocated, and the volume stays dirty, so the next mount's repair frees them.
     */
    @Test(timeout = 5000)
    public void aDamagedFileIsRemovedAndItsClustersAreLeftForTheNextMountToFree() throws Exception {
        MemoryBlockDevice d = withShortChain();
        FatFileSystem fs = Fixtures.mount(d);
        long free = fs.freeBytes();
        fs.delete(p("/FILE.BIN"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> fs.stat(p("/FILE.BIN")));
        assertEquals("its clusters stay allocated", free, fs.freeBytes());
        fs.unmount();

        FatFileSystem again = Fixtures.mount(d);
        assertTrue("the volume was left dirty", again.wasDirty());
        // its 2 clusters, and the 2 the damage had cut off its chain
        assertTrue(again.recovery(), again.recovery().startsWith("repaired: ") && again.recovery().contains("4 lost"
                + " clusters freed"));
        assertEquals(free + 4L * again.clusterSize(), again.freeBytes());
    }

    /** The volume with FILE.BIN's chain ending after 2 of the 4 clusters its size needs. */
    private static MemoryBlockDevice withShortChain() throws Exception {
        MemoryBlockDevice d = volume();
        Raw raw = new Raw(d.image());
        int first = raw.firstCluster(raw.rootEntry("FILE    BIN"));
        raw.setFat(first + 1, 0xFFFF);
        return d;
    }

    @Test(timeout = 5000)
    public void aFreeClusterInsideAChain() throws Exception {
        MemoryBlockDevice d = volume();
        Raw raw = new Raw(d.image());
        int first = raw.firstCluster(raw.rootEntry("FILE    BIN"));
        raw.setFat(first, 0);
        assertEquals("/mnt/t/FILE.BIN: the cluster chain runs into free cluster " + first, readProblem(d, "/FILE.BIN"));
    }

    @Test(timeout = 5000)
    public void aHugeSizeOnASmallVolumeIsShortNotAnOutOfMemory() throws Exception {
        MemoryBlockDevice d = volume();
        Raw raw = new Raw(d.image());
        raw.b.putInt(raw.rootEntry("FILE    BIN") + 28, -1); // 4 GiB - 1
        FatFileSystem fs = Fixtures.mount(d);
        java.nio.channels.SeekableByteChannel c = fs.open(p("/FILE.BIN"), java.util.Set.of());
        String problem = assertThrows(CorruptFilesystemException.class, () -> c.read(ByteBuffer.allocate(4096)))
                .getMessage();
        assertEquals("/mnt/t/FILE.BIN: the cluster chain is shorter than the file: 4 clusters, the file size needs"
                + " 8388608", problem);
    }

    @Test(timeout = 5000)
    public void aLoopInADirectoryChain() throws Exception {
        MemoryBlockDevice d = volume();
        Raw raw = new Raw(d.image());
        int dir = raw.firstCluster(raw.rootEntry("DIR        "));
        raw.setFat(dir + 1, dir); // the directory's 2nd cluster leads back to its first, forever
        FatFileSystem fs = Fixtures.mount(d);
        CorruptFilesystemException e = assertThrows(CorruptFilesystemException.class, () -> fs.list(p("/DIR")));
        assertEquals("/mnt/t/DIR: the cluster chain loops: cluster " + dir + " appears twice", e.getMessage());
    }

    @Test(timeout = 5000)
    public void aDirectoryEntryPointingOutsideTheVolume() throws Exception {
        MemoryBlockDevice d = volume();
        Raw raw = new Raw(d.image());
        raw.b.putShort(raw.rootEntry("DIR        ") + 26, (short) 0xFF00);
        FatFileSystem fs = Fixtures.mount(d);
        CorruptFilesystemException e = assertThrows(CorruptFilesystemException.class, () -> fs.list(p("/DIR")));
        assertEquals("/mnt/t/DIR: the first cluster 65280 is outside the volume's clusters 2.." + raw.bs.maxCluster(),
                e.getMessage());
    }

    @Test(timeout = 5000)
    public void aBadBootSectorFailsTheMountNamingTheField() throws Exception {
        MemoryBlockDevice d = volume();
        ByteBuffer.wrap(d.image()).order(ByteOrder.LITTLE_ENDIAN).put(BootSector.BPB_NUM_FATS, (byte) 9);
        CorruptFilesystemException e = assertThrows(CorruptFilesystemException.class, () -> Fixtures.mount(d));
        assertEquals("/mnt/t: boot sector: BPB_NumFATs (9) must be 1 to 4", e.getMessage());
    }

    @Test(timeout = 5000)
    public void aBlankRegionIsNotFatAtAll() throws Exception {
        assertNull(Fixtures.mount(new MemoryBlockDevice(512, 2048)));
    }

    @Test(timeout = 5000)
    public void aFat32RootThatLoopsFailsTheMount() throws Exception {
        MemoryBlockDevice d = Fixtures.formatted(34L << 20, FatType.FAT32, 1);
        new Raw(d.image()).setFat(2, 2);
        CorruptFilesystemException e = assertThrows(CorruptFilesystemException.class, () -> Fixtures.mount(d));
        assertEquals("/mnt/t/: the cluster chain loops: cluster 2 appears twice", e.getMessage());
    }
}
