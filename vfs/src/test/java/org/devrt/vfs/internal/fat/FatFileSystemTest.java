package org.devrt.vfs.internal.fat;

import static org.devrt.vfs.internal.fat.Fixtures.p;
import static org.devrt.vfs.internal.fat.Fixtures.read;
import static org.devrt.vfs.internal.fat.Fixtures.write;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.devrt.device.DeviceGoneException;
import org.devrt.vfs.FileInfo;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/** Every file operation, on each FAT type, checked through the API and on the medium. */
@RunWith(Parameterized.class)
public class FatFileSystemTest {
    @Parameters(name = "{0}")
    public static List<Object[]> types() {
        return List.of(new Object[] {FatType.FAT12}, new Object[] {FatType.FAT16}, new Object[] {FatType.FAT32});
    }

    private final FatType type;
    private final MemoryBlockDevice disk;
    private final FatFileSystem fs;

    public FatFileSystemTest(FatType type) throws IOException {
        this.type = type;
        this.disk = switch (type) {
            case FAT12 -> Fixtures.formatted(2L << 20, type, 0);
            case FAT16 -> Fixtures.formatted(8L << 20, type, 1);
            case FAT32 -> Fixtures.formatted(34L << 20, type, 1);
        };
        this.fs = Fixtures.mount(disk);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test(timeout = 10000)
    public void filesOfEverySizeReadBackAsWritten() throws Exception {
        int cs = fs.clusterSize();
        int[] sizes = {0, 1, cs - 1, cs, cs + 1, 3 * cs, 100_000};
        for (int size : sizes) {
            write(fs, "/f" + size, random(size, size));
        }
        for (int size : sizes) {
            assertArrayEquals("size " + size, random(size, size), read(fs, "/f" + size));
            assertEquals(size, fs.stat(p("/f" + size)).size());
        }
    }

    @Test(timeout = 10000)
    public void longNamesAreCasePreservingUnicodeAndFoundInAnyCase() throws Exception {
        String name = "Ein sehr langer Name – ünïcødé 文件.Data.txt";
        write(fs, "/" + name, new byte[] {1});
        FileInfo info = fs.stat(p("/EIN SEHR LANGER NAME – ÜNÏCØDÉ 文件.DATA.TXT"));
        assertEquals(name, info.name());
        assertEquals("EINSEH~1.TXT", info.shortName());
        assertArrayEquals(new byte[] {1}, read(fs, "/einseh~1.txt"));
        assertEquals(List.of(name), fs.list(p("/")).stream().map(FileInfo::name).toList());
    }

    /** FAT up-cases a name unit by unit: straße.txt and STRASSE.TXT are two files (as mtools and Windows keep them). */
    @Test(timeout = 10000)
    public void namesThatOnlyAFullCaseFoldingMakesEqualAreDifferentFiles() throws Exception {
        write(fs, "/straße.txt", new byte[] {1});
        write(fs, "/STRASSE.TXT", new byte[] {2});
        assertEquals(List.of("straße.txt", "STRASSE.TXT"), fs.list(p("/")).stream().map(FileInfo::name).toList());
        assertArrayEquals(new byte[] {1}, read(fs, "/STRAßE.TXT"));
        assertArrayEquals(new byte[] {2}, read(fs, "/strasse.txt"));
        fs.delete(p("/STRASSE.TXT"));
        assertEquals(List.of("straße.txt"), fs.list(p("/")).stream().map(FileInfo::name).toList());
    }

    @Test(timeout = 10000)
    public void shortNamesAreGeneratedAsWindowsDoes() throws Exception {
        String[] names = {"readme.txt", "Readme2.txt", "README3.TXT", "My Document.docx", "My Documents.docx",
            "My Doc.docx", "My Docx.docx", "My Docxy.docx", ".bashrc", "a+b.c", "x.tar.gz"};
        for (String n : names) {
            write(fs, "/" + n, new byte[0]);
        }
        List<String> shorts = fs.list(p("/")).stream().map(FileInfo::shortName).toList();
        assertEquals(List.of("README.TXT", "README2.TXT", "README3.TXT", "MYDOCU~1.DOC", "MYDOCU~2.DOC", "MYDOC~1.DOC",
                "MYDOCX~1.DOC", "MYDOCX~2.DOC", "BASHRC~1", "A_B~1.C", "XTAR~1.GZ"), shorts);
        assertEquals("readme.txt", fs.stat(p("/README.TXT")).name()); // NT lower-case flags, no long name
        for (int i = 0; i < 6; i++) {
            write(fs, "/Long name number " + i + ".txt", new byte[0]);
        }
        List<String> tails = fs.list(p("/")).stream().map(FileInfo::shortName).filter(s -> s.startsWith("LO")).toList();
        assertEquals(List.of("LONGNA~1.TXT", "LONGNA~2.TXT", "LONGNA~3.TXT", "LONGNA~4.TXT"), tails.subList(0, 4));
        assertTrue(tails.get(4), tails.get(4).matches("LO[0-9A-F]{4}~1\\.TXT"));
        assertEquals(6, tails.stream().distinct().count());
    }

    @Test(timeout = 10000)
    public void directoriesNestDeeplyAndGrowPastOneCluster() throws Exception {
        StringBuilder path = new StringBuilder();
        for (int depth = 0; depth < 30; depth++) {
            path.append("/level ").append(depth);
            fs.createDirectory(p(path.toString()));
        }
        write(fs, path + "/deep.bin", random(5000, 7));
        assertArrayEquals(random(5000, 7), read(fs, path + "/DEEP.BIN"));
        fs.createDirectory(p("/many"));
        for (int i = 0; i < 200; i++) {
            write(fs, "/many/file with a long name " + i, new byte[] {(byte) i});
        }
        assertEquals(200, fs.list(p("/many")).size());
        assertArrayEquals(new byte[] {(byte) 199}, read(fs, "/many/file with a long name 199"));
        assertThrows(FileAlreadyExistsException.class, () -> fs.createDirectory(p("/MANY")));
        assertThrows(NoSuchFileException.class, () -> fs.createDirectory(p("/none/x")));
        assertThrows(NotDirectoryException.class, () -> fs.list(p(path + "/deep.bin/x")));
    }

    @Test(timeout = 10000)
    public void deleteFreesClustersAndRefusesWhatItMustNot() throws Exception {
        long free = fs.freeBytes();
        fs.createDirectory(p("/d"));
        write(fs, "/d/big", random(50_000, 1));
        assertThrows(DirectoryNotEmptyException.class, () -> fs.delete(p("/d")));
        try (SeekableByteChannel c = fs.open(p("/d/big"), Set.of(StandardOpenOption.READ))) {
            FileSystemException e = assertThrows(FileSystemException.class, () -> fs.delete(p("/d/big")));
            assertEquals("/mnt/t/d/big: the file is open", e.getMessage());
        }
        fs.delete(p("/d/BIG"));
        fs.delete(p("/d"));
        assertEquals(free, fs.freeBytes());
        assertEquals(List.of(), fs.list(p("/")));
        assertThrows(NoSuchFileException.class, () -> fs.delete(p("/d")));
        assertThrows(FileSystemException.class, () -> fs.delete(p("/")));
    }

    @Test(timeout = 10000)
    public void renameAndMoveKeepDataAndFixDotDot() throws Exception {
        fs.createDirectory(p("/a"));
        fs.createDirectory(p("/a/sub"));
        fs.createDirectory(p("/b"));
        write(fs, "/a/sub/file.txt", random(3000, 3));
        fs.rename(p("/a/sub/file.txt"), p("/a/sub/File.TXT")); // case only
        assertEquals("File.TXT", fs.list(p("/a/sub")).get(0).name());
        fs.rename(p("/a/sub"), p("/b/moved sub"));
        assertArrayEquals(random(3000, 3), read(fs, "/b/moved sub/file.txt"));
        assertThrows(NoSuchFileException.class, () -> fs.stat(p("/a/sub")));
        fs.unmount();
        Raw raw = new Raw(disk.image());
        int b = raw.firstCluster(raw.rootEntry("B          "));
        int moved = -1;
        for (int i = 0; i < raw.bs.clusterSize() / 32 && moved < 0; i++) { // find "moved sub"'s entry in /b
            int at = (int) raw.clusterOffset(b) + i * 32;
            if ((raw.image[at + 11] & 0x10) != 0 && raw.image[at] != '.') {
                moved = raw.firstCluster(at);
            }
        }
        assertEquals("'..' of the moved directory names its new parent", b, raw.firstCluster(
                (int) raw.clusterOffset(moved) + 32));
    }

    @Test(timeout = 10000)
    public void renameReplacesFilesButNeverDirectoriesOrItsOwnSubtree() throws Exception {
        write(fs, "/x", new byte[] {1});
        write(fs, "/y", random(9000, 2));
        long free = fs.freeBytes();
        fs.rename(p("/x"), p("/y"));
        assertArrayEquals(new byte[] {1}, read(fs, "/y"));
        assertTrue(fs.freeBytes() > free);
        fs.createDirectory(p("/d"));
        fs.createDirectory(p("/d/e"));
        assertThrows(FileAlreadyExistsException.class, () -> fs.rename(p("/y"), p("/d")));
        FileSystemException e = assertThrows(FileSystemException.class, () -> fs.rename(p("/d"), p("/d/e/d2")));
        assertTrue(e.getMessage(), e.getMessage().endsWith("a directory cannot move into itself"));
    }

    /**
     * A rename that cannot make room for its new name fails with both names and the data as they were. It removed
     * the entry first: a case-only rename in a full directory on a full volume lost the file (or a whole tree), and
     * a rename over an existing file deleted that file before failing to add the new entry.
     */
    @Test(timeout = 10000)
    public void aRenameThatCannotFitItsNewNameLosesNothing() throws Exception {
        fs.createDirectory(p("/d"));
        int slots = fs.clusterSize() / 32; // the first cluster of /d: "." and "..", then these
        for (int i = 1; i <= slots - 4; i++) {
            write(fs, "/d/F" + i, new byte[0]);
        }
        write(fs, "/d/notes.txt", random(100, 5)); // one slot: a lower-case 8.3 name needs no long name
        write(fs, "/d/keep.txt", random(200, 6));
        write(fs, "/other", random(300, 7));
        fillVolume();

        IOException full = assertThrows(IOException.class, () -> fs.rename(p("/d/notes.txt"), p("/d/Notes.txt")));
        assertTrue(full.getMessage(), full.getMessage().contains("no space left"));
        assertArrayEquals("the file whose case-only rename failed", random(100, 5), read(fs, "/d/notes.txt"));
        assertThrows(IOException.class, () -> fs.rename(p("/other"), p("/d/Keep.txt")));
        assertArrayEquals("the file a failed rename would have replaced", random(200, 6), read(fs, "/d/keep.txt"));
        assertArrayEquals("the file a failed rename would have moved", random(300, 7), read(fs, "/other"));

        fs.rename(p("/d/F1"), p("/d/F2")); // 8.3 over 8.3 in the full directory: the replaced entry's slot is enough
        assertThrows(java.nio.file.NoSuchFileException.class, () -> fs.stat(p("/d/F1")));
        assertEquals("F2", fs.stat(p("/d/F2")).name());

        fs.delete(p("/filler")); // room again: the same renames go through
        fs.rename(p("/d/notes.txt"), p("/d/Notes.txt"));
        fs.rename(p("/other"), p("/d/Keep.txt"));
        assertArrayEquals(random(100, 5), read(fs, "/d/Notes.txt"));
        assertArrayEquals(random(300, 7), read(fs, "/d/Keep.txt"));
        assertEquals("Keep.txt", fs.stat(p("/d/keep.txt")).name());
    }

    /** mv to a file's own 8.3 alias dropped its long name; both name one file, and rename(2) then does nothing. */
    @Test(timeout = 10000)
    public void aRenameToTheFilesOwnShortAliasChangesNothing() throws Exception {
        write(fs, "/Long Name.bin", random(10, 9));
        String alias = fs.stat(p("/Long Name.bin")).shortName();
        assertEquals("LONGNA~1.BIN", alias);
        fs.rename(p("/Long Name.bin"), p("/" + alias));
        assertEquals("Long Name.bin", fs.stat(p("/" + alias)).name());
        fs.rename(p("/Long Name.bin"), p("/long name.BIN")); // a case-only rename still renames
        assertEquals("long name.BIN", fs.stat(p("/LONGNA~1.BIN")).name());
    }

    /** Writes a file as large as the free space. */
    private void fillVolume() throws IOException {
        write(fs, "/filler", new byte[Math.toIntExact(fs.freeBytes())]);
        assertEquals(0, fs.freeBytes());
    }

    @Test(timeout = 10000)
    public void anOpenFileFollowsItsRename() throws Exception {
        fs.createDirectory(p("/d"));
        try (SeekableByteChannel c = fs.open(p("/f"), Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE))) {
            c.write(ByteBuffer.wrap(new byte[] {1, 2}));
            fs.rename(p("/f"), p("/d/g"));
            c.write(ByteBuffer.wrap(new byte[] {3}));
        }
        assertArrayEquals(new byte[] {1, 2, 3}, read(fs, "/d/g"));
    }

    @Test(timeout = 10000)
    public void truncateAppendAndSparseGrowth() throws Exception {
        write(fs, "/f", random(10_000, 4));
        try (SeekableByteChannel c = fs.open(p("/f"), Set.of(StandardOpenOption.WRITE))) {
            c.truncate(100);
            assertEquals(100, c.size());
        }
        try (SeekableByteChannel c = fs.open(p("/f"), Set.of(StandardOpenOption.APPEND))) {
            c.write(ByteBuffer.wrap(new byte[] {42}));
        }
        byte[] got = read(fs, "/f");
        assertEquals(101, got.length);
        assertArrayEquals(Arrays.copyOf(random(10_000, 4), 100), Arrays.copyOf(got, 100));
        assertEquals(42, got[100]);
        write(fs, "/junk", random(50_000, 5)); // freed clusters get used again...
        fs.delete(p("/junk"));
        try (SeekableByteChannel c = fs.open(p("/sparse"), Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE))) {
            c.position(40_000).write(ByteBuffer.wrap(new byte[] {7}));
        }
        byte[] sparse = read(fs, "/sparse"); // ...but a sparse gap reads as zeros
        assertEquals(40_001, sparse.length);
        for (int i = 0; i < 40_000; i++) {
            assertEquals("byte " + i, 0, sparse[i]);
        }
        assertEquals(7, sparse[40_000]);
        try (SeekableByteChannel c = fs.open(p("/f"), Set.of(StandardOpenOption.WRITE))) {
            c.truncate(0);
        }
        assertEquals(0, fs.stat(p("/f")).size());
    }

    @Test(timeout = 10000)
    public void openOptionsBehaveAsInJavaNio() throws Exception {
        assertThrows(NoSuchFileException.class, () -> fs.open(p("/nope"), Set.of(StandardOpenOption.READ)));
        write(fs, "/f", new byte[] {1, 2, 3});
        assertThrows(FileAlreadyExistsException.class,
                () -> fs.open(p("/f"), Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)));
        try (SeekableByteChannel c = fs.open(p("/f"), Set.of(StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))) {
            assertEquals(0, c.size());
        }
        fs.createDirectory(p("/d"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> fs.open(p("/d"), Set.of()));
        assertEquals("/mnt/t/d: is a directory", e.getMessage());
        FileSystemException bad = assertThrows(FileSystemException.class, () -> write(fs, "/a*b", new byte[0]));
        assertEquals("/mnt/t/a*b: the name has a character FAT does not allow: '*'", bad.getMessage());
        try (SeekableByteChannel c = fs.open(p("/f"), Set.of())) {
            assertEquals(-1, c.read(ByteBuffer.allocate(1)));
            assertThrows(java.nio.channels.NonWritableChannelException.class, () -> c.write(ByteBuffer.allocate(1)));
        }
    }

    @Test(timeout = 10000)
    public void timestampsFollowTheClockInDosResolution() throws Exception {
        write(fs, "/t", new byte[1]);
        FileInfo i = fs.stat(p("/t"));
        assertEquals(Instant.parse("2024-05-17T10:20:31.450Z"), i.created()); // 10 ms
        assertEquals(Instant.parse("2024-05-17T10:20:30Z"), i.modified()); // 2 s
        assertEquals(Instant.parse("2024-05-17T00:00:00Z"), i.accessed()); // a day
        fs.createDirectory(p("/d"));
        assertEquals(Instant.parse("2024-05-17T10:20:30Z"), fs.stat(p("/d")).modified());
    }

    @Test(timeout = 10000)
    public void theDirtyFlagIsSetWhileMountedAndClearedByACleanUnmount() throws Exception {
        Raw mounted = new Raw(disk.image());
        assertEquals(1, mounted.dirtyByte() & 1);
        if (type != FatType.FAT12) {
            int bit = type == FatType.FAT16 ? Fat.FAT16_CLEAN_SHUTDOWN : Fat.FAT32_CLEAN_SHUTDOWN;
            assertEquals(0, mounted.fat(0, 1) & bit);
            fs.unmount();
            assertEquals(bit, new Raw(disk.image()).fat(1, 1) & bit);
        } else {
            fs.unmount();
        }
        assertEquals(0, new Raw(disk.image()).dirtyByte() & 1);
        FatFileSystem again = FatFileSystem.mount(Fixtures.cache(disk), "/mnt/t", true, Fixtures.CLOCK);
        assertFalse(again.wasDirty());
        assertEquals(0, new Raw(disk.image()).dirtyByte() & 1); // a read-only mount writes nothing
    }

    @Test(timeout = 10000)
    public void bothFatsStayInStepAndFsInfoCountsTheFreeClusters() throws Exception {
        for (int i = 0; i < 20; i++) {
            write(fs, "/f" + i, random(1000 * i, i));
        }
        for (int i = 0; i < 20; i += 3) {
            fs.delete(p("/f" + i));
        }
        fs.unmount();
        Raw raw = new Raw(disk.image());
        assertArrayEquals(raw.fatCopy(0), raw.fatCopy(1));
        if (type == FatType.FAT32) {
            assertEquals(raw.countFree(), raw.fsInfoFree());
        }
    }

    @Test(timeout = 20000)
    public void aFileGrowsIntoScatteredFreeClustersWrappingRoundTheEndOfTheFat() throws Exception {
        fs.createDirectory(p("/d"));
        int cs = fs.clusterSize();
        int fileBytes = (int) Math.max(cs, fs.freeBytes() / 64 / cs * cs);
        int files = (int) (fs.freeBytes() / fileBytes) - 1; // the directory grows too
        for (int i = 0; i < files; i++) {
            write(fs, "/d/f" + i, random(fileBytes, i));
        }
        for (int i = 0; i < files; i += 2) {
            fs.delete(p("/d/f" + i)); // holes all over the FAT; the next free cluster is near its end
        }
        byte[] big = random((int) (fs.freeBytes() - cs), 99);
        write(fs, "/big", big);
        fs.unmount();
        FatFileSystem again = Fixtures.mount(disk);
        assertArrayEquals("a file in " + big.length / cs + " scattered clusters", big, read(again, "/big"));
        for (int i = 1; i < files; i += 2) {
            assertArrayEquals("/d/f" + i + " untouched", random(fileBytes, i), read(again, "/d/f" + i));
        }
        again.unmount();
        Raw raw = new Raw(disk.image());
        assertArrayEquals("both FATs alike", raw.fatCopy(0), raw.fatCopy(1));
        assertEquals("free clusters after the big file", 1, raw.countFree());
    }

    /**
     * A file's chain longer than its size whose tail is a directory's cluster: the repair cut the tail and freed that
     * cluster, marked the volume clean, and the next write overwrote the directory. Two chains sharing a cluster is
     * not what a pulled disk leaves: nothing is touched, and the volume is left for fsck.fat, mounted read-only.
     */
    @Test(timeout = 10000)
    public void aFilesTailOnAnotherChainIsLeftForFsckNotCutAway() throws Exception {
        write(fs, "/T1", random(6, 1));
        fs.createDirectory(p("/SUBD"));
        write(fs, "/SUBD/hello.txt", random(10, 2));
        fs.sync(); // not unmounted: dirty
        Raw raw = new Raw(disk.image());
        int t1 = raw.firstCluster(raw.rootEntry("T1         "));
        int subd = raw.firstCluster(raw.rootEntry("SUBD       "));
        raw.setFat(t1, subd); // T1's chain runs on into the directory's cluster

        FatFileSystem again = Fixtures.mount(disk);
        assertTrue(again.wasDirty());
        assertTrue(again.recovery(), again.recovery().startsWith("not repaired, so mounted read-only")
                && again.recovery().contains("on another chain as well"));
        assertArrayEquals("the directory's file", random(10, 2), read(again, "/SUBD/hello.txt"));
        assertEquals("nothing was cut", subd, new Raw(disk.image()).fat(0, t1));
    }

    @Test(timeout = 10000)
    public void aDirtyVolumeIsRepairedWhenMountedUnlessItsDamageIsMoreThanAPulledDiskLeaves() throws Exception {
        int cs = fs.clusterSize();
        byte[] a = random(3 * cs, 1);
        write(fs, "/A", a);
        write(fs, "/B", random(cs, 2));
        fs.sync(); // not unmounted: the medium stays dirty, as a pulled disk leaves it
        // what the write order leaves when the disk goes between a growth's link and its size: A's chain one
        // cluster longer than its size; and a cluster whose FAT entry was written but never linked; FAT 2 behind
        Raw raw = new Raw(disk.image());
        int first = raw.firstCluster(raw.rootEntry("A          "));
        int last = first;
        while (!type.isEndOfChain(raw.fat(0, last))) {
            last = raw.fat(0, last);
        }
        int extra = 2;
        while (raw.fat(0, extra) != 0) {
            extra++;
        }
        int lost = extra + 1;
        while (raw.fat(0, lost) != 0) {
            lost++;
        }
        raw.setFat(extra, type.endOfChain());
        raw.setFat(last, extra);
        raw.setFat(lost, type.endOfChain());
        long lastFatByte = raw.bs.fatOffset(1) + type.fatBytes(raw.bs.maxCluster() + 1) - 1; // far from A's entries
        raw.b.put((int) lastFatByte, (byte) 0x5A);

        FatFileSystem again = Fixtures.mount(disk);
        assertTrue(again.wasDirty());
        assertEquals("repaired: 1 file cut to its size, 1 lost cluster freed, 1 FAT sector copied from the "
                + "active FAT", again.recovery());
        assertArrayEquals(a, read(again, "/A"));
        again.unmount();
        Raw repaired = new Raw(disk.image());
        assertEquals("A ends where its size does", type.endOfChain(), repaired.fat(0, last));
        assertEquals("its extra cluster is free", 0, repaired.fat(0, extra));
        assertEquals("the lost cluster is free", 0, repaired.fat(0, lost));
        assertArrayEquals("both FATs alike", repaired.fatCopy(0), repaired.fatCopy(1));
        assertEquals("a repaired volume unmounts clean", 0, repaired.dirtyByte() & 1);

        // a loop is not something a pulled disk leaves: nothing is touched, and the volume stays dirty for fsck.fat
        FatFileSystem third = Fixtures.mount(disk);
        third.sync();
        new Raw(disk.image()).setFat(last, first);
        byte[] before = disk.image().clone();
        FatFileSystem looped = Fixtures.mount(disk);
        assertEquals("not repaired, so mounted read-only: run fsck.fat on it, with the volume unmounted: /A: the"
                + " cluster chain loops back to cluster " + first, looped.recovery());
        assertTrue("damage left for fsck.fat is out of reach of writes", looped.readOnly());
        assertThrows(IOException.class, () -> write(looped, "/new", random(5000, 3)));
        looped.unmount();
        Raw left = new Raw(disk.image());
        assertEquals("the loop is left for fsck.fat", first, left.fat(0, last));
        assertEquals("still dirty", 1, left.dirtyByte() & 1);
        assertArrayEquals("FAT untouched", new Raw(before).fatCopy(0), left.fatCopy(0));
    }

    @Test(timeout = 10000)
    public void afterAnUncleanShutdownTheFreeCountIsCountedNotTakenFromAStaleFsInfo() throws Exception {
        if (type != FatType.FAT32) {
            return; // only FAT32 has FSInfo
        }
        write(fs, "/before", random(100_000, 1));
        fs.sync();
        // FSInfo as a crash can leave it: a count from before the last allocations; the volume is not unmounted,
        // so it stays dirty
        Raw synced = new Raw(disk.image());
        ByteBuffer.wrap(disk.image()).order(ByteOrder.LITTLE_ENDIAN).putInt(synced.bs.fsInfoSector
                * synced.bs.bytesPerSector + FsInfo.FSI_FREE_COUNT, (int) synced.countFree() + 50);
        FatFileSystem again = FatFileSystem.mount(Fixtures.cache(disk), "/mnt/t", false, Fixtures.CLOCK);
        assertTrue(again.wasDirty());
        Raw raw = new Raw(disk.image());
        assertNotEquals("FSInfo is stale before the remount", raw.countFree(), raw.fsInfoFree());
        assertEquals(raw.countFree() * again.clusterSize(), again.freeBytes());
        again.unmount();
        Raw after = new Raw(disk.image());
        assertEquals("FSInfo written at unmount", after.countFree(), after.fsInfoFree());
    }

    /** FSInfo said 2 free clusters on an empty volume (fsck.fat: "Free cluster summary wrong"): writes were refused. */
    @Test(timeout = 10000)
    public void aStaleFsInfoCountOfAFullVolumeDoesNotRefuseAWrite() throws Exception {
        if (type != FatType.FAT32) {
            return; // only FAT32 has FSInfo
        }
        fs.unmount();
        Raw clean = new Raw(disk.image());
        ByteBuffer.wrap(disk.image()).order(ByteOrder.LITTLE_ENDIAN).putInt(clean.bs.fsInfoSector
                * clean.bs.bytesPerSector + FsInfo.FSI_FREE_COUNT, 2);
        FatFileSystem again = FatFileSystem.mount(Fixtures.cache(disk), "/mnt/t", false, Fixtures.CLOCK);
        assertFalse("a clean volume", again.wasDirty());
        write(again, "/eight", random(8 * again.clusterSize(), 8));
        assertArrayEquals(random(8 * again.clusterSize(), 8), read(again, "/eight"));
        again.unmount();
        Raw after = new Raw(disk.image());
        assertEquals("FSInfo right again after the unmount", after.countFree(), after.fsInfoFree());
    }

    /**
     * A clean volume whose FSInfo count is plausible but wrong (written by a system that did not keep it): df said
     * what FSInfo said, and the unmount wrote it back (fsck.fat: "Free cluster summary wrong"). Counted, as Linux's
     * first statfs counts unless mounted usefree.
     */
    @Test(timeout = 10000)
    public void theFreeSpaceIsCountedFromTheFatNotTakenFromAPlausibleFsInfo() throws Exception {
        if (type != FatType.FAT32) {
            return; // only FAT32 has FSInfo
        }
        write(fs, "/data", random(100_000, 1));
        fs.unmount();
        Raw clean = new Raw(disk.image());
        long real = clean.countFree();
        ByteBuffer.wrap(disk.image()).order(ByteOrder.LITTLE_ENDIAN).putInt(clean.bs.fsInfoSector
                * clean.bs.bytesPerSector + FsInfo.FSI_FREE_COUNT, (int) real + 100);
        FatFileSystem again = FatFileSystem.mount(Fixtures.cache(disk), "/mnt/t", false, Fixtures.CLOCK);
        assertFalse("a clean volume", again.wasDirty());
        assertEquals("what df shows", real * again.clusterSize(), again.freeBytes());
        again.unmount();
        Raw after = new Raw(disk.image());
        assertEquals("FSInfo after the unmount", real, after.fsInfoFree());
    }

    @Test(timeout = 10000)
    public void aFullVolumeTakesWhatFitsThenSaysSoAndLosesNothing() throws Exception {
        long free = fs.freeBytes();
        byte[] big = random((int) Math.min(free + fs.clusterSize(), 64 << 20), 11);
        IOException e = assertThrows(IOException.class, () -> write(fs, "/big", big));
        assertTrue(e.getMessage(), e.getMessage().startsWith("no space left on the volume"));
        // as write(2): what fits is written (a copy in 1 MiB writes left up to 1 MiB unused), then ENOSPC
        assertEquals(0, fs.freeBytes());
        assertArrayEquals(Arrays.copyOf(big, (int) free), read(fs, "/big"));
        fs.delete(p("/big"));
        assertEquals(free, fs.freeBytes());
        if (type != FatType.FAT32) {
            for (int i = 0; i < 511; i++) { // the label takes one entry
                write(fs, "/F" + i, new byte[0]);
            }
            IOException full = assertThrows(IOException.class, () -> write(fs, "/one more", new byte[0]));
            assertEquals("/mnt/t/: the root directory is full (512 entries)", full.getMessage());
        }
    }

    @Test(timeout = 10000)
    public void aReadOnlyMountRefusesChanges() throws Exception {
        write(fs, "/f", new byte[] {1});
        fs.unmount();
        FatFileSystem ro = FatFileSystem.mount(Fixtures.cache(disk), "/mnt/t", true, Fixtures.CLOCK);
        assertArrayEquals(new byte[] {1}, read(ro, "/f"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> ro.createDirectory(p("/d")));
        assertEquals("/mnt/t/d: the volume is mounted read-only", e.getMessage());
        assertThrows(FileSystemException.class, () -> ro.open(p("/f"), Set.of(StandardOpenOption.WRITE)));
        assertTrue(ro.stat(p("/f")).readOnly());
    }

    @Test(timeout = 10000)
    public void aVolumeThatIsGoneSaysSoToOpenChannels() throws Exception {
        write(fs, "/f", new byte[] {1});
        SeekableByteChannel c = fs.open(p("/f"), Set.of(StandardOpenOption.READ));
        fs.gone("disk sda removed");
        DeviceGoneException e = assertThrows(DeviceGoneException.class, () -> c.read(ByteBuffer.allocate(1)));
        assertEquals("/mnt/t: the volume is gone (disk sda removed)", e.getMessage());
        assertThrows(DeviceGoneException.class, () -> fs.list(p("/")));
    }

    @Test(timeout = 10000)
    public void labelAndSpace() throws Exception {
        assertEquals("TEST", fs.label());
        assertEquals(type, fs.type());
        assertEquals(type == FatType.FAT32 ? fs.totalBytes() - fs.clusterSize() : fs.totalBytes(), fs.freeBytes());
    }
    /**
     * A non-forced unmount decides under the volume's lock that every open takes: the mount table's look at the open
     * files came before, and a file opened in between was closed under its user.
     */
    @Test
    public void anUnmountWithoutForceIsRefusedWhileAFileIsOpenAndTheVolumeStaysMounted() throws Exception {
        write(fs, "/kept.txt", new byte[] {1, 2, 3});
        try (SeekableByteChannel c = fs.open(p("/kept.txt"), Set.of(StandardOpenOption.READ))) {
            FatFileSystem.BusyException busy = assertThrows(FatFileSystem.BusyException.class, () -> fs.unmount(false));
            assertEquals(List.of("/kept.txt"), busy.files());
            assertEquals("the file still reads", 3, c.read(ByteBuffer.allocate(8)));
        }
        fs.unmount(false);
        assertThrows(FileSystemException.class, () -> fs.stat(p("/kept.txt")));
    }
}
