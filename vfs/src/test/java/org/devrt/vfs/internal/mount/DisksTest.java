package org.devrt.vfs.internal.mount;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceGoneException;
import org.devrt.device.DeviceService;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.devrt.vfs.internal.fakes.RecordingEventAdmin;
import org.devrt.vfs.internal.fat.FatFormatter;
import org.devrt.vfs.internal.fat.FatType;
import org.junit.After;
import org.junit.Test;

public class DisksTest {
    private final MountTable table = new MountTable();
    private final RecordingEventAdmin events = new RecordingEventAdmin();
    private final Disks disks;

    public DisksTest() {
        table.events = events;
        table.clock = Volumes.CLOCK;
        disks = new Disks(table, new DiskNames((java.nio.file.Path) null));
        disks.clock = Volumes.CLOCK;
    }

    @After
    public void stop() {
        disks.deactivate();
    }

    private static Map<String, Object> props(String id) {
        return Map.of(DeviceService.DEVICE_ID, id, DeviceService.DEVICE_TYPE, DeviceService.TYPE_BLOCK);
    }

    private List<String> points() {
        return table.mounts().stream().map(MountInfo::mountPoint).toList();
    }

    @Test(timeout = 10000)
    public void everyFatVolumeOfAnArrivingDiskIsMountedAndAnnounced() throws Exception {
        MemoryBlockDevice a = Volumes.partitioned(80_000, new long[] {2048, 20_000, 12}, new long[] {22_048, 20_000, 0},
                new long[] {42_048, 30_000, 16});
        disks.addDisk(a, props("pci/a"));
        disks.addDisk(Volumes.whole(10_000, FatType.FAT16), props("pci/b"));
        disks.settle();
        assertEquals(List.of("/mnt/sda1", "/mnt/sda3", "/mnt/sdb"), points());
        assertEquals(List.of(DeviceEvents.MOUNTED + " /mnt/sda1", DeviceEvents.MOUNTED + " /mnt/sda3",
                DeviceEvents.MOUNTED + " /mnt/sdb"), events.summary(DeviceEvents.MOUNT_POINT));
        assertEquals("pci/a", events.events.get(0).getProperty(DeviceEvents.DEVICE_ID));
        assertEquals(List.of(new Disks.BlockVolume("sda", 0, 0, 80_000, "disk", "", "", ""),
                new Disks.BlockVolume("sda1", 1, 2048, 20_000, "part", "vfat", "PART1", "/mnt/sda1"),
                new Disks.BlockVolume("sda2", 2, 22_048, 20_000, "part", "", "", ""),
                new Disks.BlockVolume("sda3", 3, 42_048, 30_000, "part", "vfat", "PART3", "/mnt/sda3")),
                disks.volumes("pci/a"));
        assertEquals(List.of(new Disks.BlockVolume("sdb", 0, 0, 10_000, "disk", "vfat", "WHOLE", "/mnt/sdb")),
                disks.volumes("pci/b"));
        assertEquals(List.of("sda", "sdb"), disks.names());
    }

    @Test(timeout = 10000)
    public void aCorruptVolumeIsLeftOutAndNothingElseBreaks() throws Exception {
        MemoryBlockDevice a = Volumes.partitioned(60_000, new long[] {2048, 20_000, 16}, new long[] {22_048, 30_000, 16});
        a.image()[2048 * 512 + 16] = 9; // BPB_NumFATs of the first partition
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        assertEquals(List.of("/mnt/sda2"), points());
        assertEquals("vfat", disks.volumes("pci/a").get(1).fsType());
        assertEquals("", disks.volumes("pci/a").get(1).mountPoint());
        String[] problems = disks.problems();
        assertEquals("kept for the banner and diag, not only logged", 1, problems.length);
        assertTrue(problems[0], problems[0].startsWith("sda1 not mounted: corrupt FAT filesystem: "));

        a.image()[2048 * 512 + 16] = 2; // mended, then mounted by hand: no longer a problem
        table.mount("/mnt/sda1", "sda1", "pci/a", a, 2048, 20_000, false);
        assertEquals(0, disks.problems().length);
    }

    /** With its MBR's signature zeroed, a disk's volume went with no word anywhere. */
    @Test(timeout = 10000)
    public void aDiskWithNeitherATableNorAFatIsReported() throws Exception {
        MemoryBlockDevice a = new MemoryBlockDevice(512, 10_000);
        a.image()[100] = 42; // not blank: something is there, but nothing devrt can read
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        assertEquals(List.of(), points());
        assertEquals(List.of("sda not mounted: neither a partition table nor a FAT filesystem on it ('mkfs sda' makes"
                + " one, which replaces what is there)"), List.of(disks.problems()));
    }

    /** 'mkfs sda' was suggested for a disk too small for any FAT, and then refused. */
    @Test(timeout = 10000)
    public void aDiskTooSmallForAFatIsNotGivenMkfsAsTheWayOut() throws Exception {
        MemoryBlockDevice tiny = new MemoryBlockDevice(512, 8);
        tiny.image()[100] = 42;
        disks.addDisk(tiny, props("pci/a"));
        disks.settle();
        assertEquals(1, disks.problems().length);
        assertTrue(disks.problems()[0], disks.problems()[0].startsWith("sda not mounted: neither a partition table nor"
                + " a FAT filesystem on it (too small for one: 4096 bytes"));
    }

    /**
     * A volume not unmounted cleanly whose damage the mount does not repair is mounted read-only for fsck.fat: only a
     * WARN line said so, and the banner and diag listed it as a good volume.
     */
    @Test(timeout = 10000)
    public void aVolumeLeftReadOnlyForFsckIsAProblemWhileItIsMounted() throws Exception {
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        MountTable before = new MountTable(); // a session that ended without unmounting
        before.mount("/x", "sda", "pci/a", a, 0, 10_000, false);
        try (SeekableByteChannel c = before.open("/x/T1", StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(new byte[6]));
        }
        before.createDirectory("/x/SUBD");
        before.sync();
        crossLinkFat16(a.image(), "T1         ", "SUBD       "); // T1's chain runs on into the directory's cluster

        disks.addDisk(a, props("pci/a"));
        disks.settle();

        assertEquals(List.of("/mnt/sda"), points());
        assertEquals(1, disks.problems().length);
        assertTrue(disks.problems()[0], disks.problems()[0].startsWith("sda was not unmounted cleanly; not repaired,"
                + " so mounted read-only: run fsck.fat on it"));
        table.unmount("/mnt/sda", false);
        assertEquals("once it is unmounted", List.of(), List.of(disks.problems()));
    }

    /** Sets FAT[first cluster of {@code from}] to the first cluster of {@code into}, in each FAT, of a FAT16 volume. */
    private static void crossLinkFat16(byte[] image, String from, String into) {
        ByteBuffer b = ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int bytesPerSector = b.getShort(11) & 0xffff;
        int reserved = b.getShort(14) & 0xffff;
        int fats = b.get(16);
        int rootEntries = b.getShort(17) & 0xffff;
        int fatSectors = b.getShort(22) & 0xffff;
        int root = (reserved + fats * fatSectors) * bytesPerSector;
        int source = firstCluster(image, root, rootEntries, from);
        int target = firstCluster(image, root, rootEntries, into);
        for (int f = 0; f < fats; f++) {
            b.putShort((reserved + f * fatSectors) * bytesPerSector + source * 2, (short) target);
        }
    }

    private static int firstCluster(byte[] image, int root, int entries, String name) {
        for (int i = 0; i < entries; i++) {
            int at = root + i * 32;
            if (new String(image, at, 11, java.nio.charset.StandardCharsets.US_ASCII).equals(name)) {
                return (image[at + 26] & 0xff) | (image[at + 27] & 0xff) << 8;
            }
        }
        throw new AssertionError("no root entry " + name);
    }

    /** A disk gone while it is looked at (unbind/bind in a loop) was an ERROR and a problem in the banner and diag. */
    @Test(timeout = 10000)
    public void aDiskThatGoesAwayWhileItIsLookedAtIsNoProblem() throws Exception {
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        a.unplug();
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        assertEquals(List.of(), points());
        assertEquals(List.of(), List.of(disks.problems()));
    }

    @Test(timeout = 10000)
    public void aDepartingDiskIsFlushedAndUnmountedBeforeTheUnbindReturns() throws Exception {
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        SeekableByteChannel c = table.open("/mnt/sda/f", StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        c.write(ByteBuffer.wrap(new byte[100]));
        int writes = a.writes.get();
        disks.removeDisk(a, props("pci/a"));
        assertEquals(List.of(), points());
        assertEquals(DeviceEvents.UNMOUNTED + " /mnt/sda", events.summary(DeviceEvents.MOUNT_POINT).get(1));
        assertEquals(true, a.writes.get() > writes);
        assertEquals("/mnt/sda: the volume is gone (disk sda was removed)",
                assertThrows(DeviceGoneException.class, () -> c.write(ByteBuffer.allocate(1))).getMessage());
        assertEquals(List.of(), disks.volumes("pci/a"));
    }

    /** `stop devrt.vfs` said "disk sda was removed" of disks that are still there. */
    @Test(timeout = 10000)
    public void disksUnboundAsTheVfsStopsAreNotSaidToBeRemoved() throws Exception {
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        SeekableByteChannel c = table.open("/mnt/sda/f", StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        disks.deactivate(); // SCR unbinds the references after deactivate
        disks.removeDisk(a, props("pci/a"));
        assertEquals(List.of(), points());
        assertEquals("/mnt/sda: the volume is gone (devrt.vfs is stopping)",
                assertThrows(DeviceGoneException.class, () -> c.write(ByteBuffer.allocate(1))).getMessage());
    }

    /**
     * Two disks of one controller go as its driver stops; the first answers slowly. The second's volumes were
     * flushed on the automounter's one thread, behind the first's flush: its wait ran out and they were dropped
     * unflushed (repaired at the next mount), though the disk answered at once.
     */
    @Test(timeout = 30000)
    public void aSlowDiskDoesNotHoldUpTheFlushOfAnother() throws Exception {
        MemoryBlockDevice slow = Volumes.whole(10_000, FatType.FAT16);
        MemoryBlockDevice quick = Volumes.whole(10_000, FatType.FAT16);
        twoDisksWithUnwrittenFiles(slow, quick, 1, 100);
        java.util.concurrent.CountDownLatch release = slow.holdFlushes();
        Thread first = new Thread(() -> disks.removeDisk(slow, props("pci/a")), "unbinding the slow disk");
        first.start();
        slow.awaitFlush();
        int flushes = quick.flushes.get();
        long start = System.nanoTime();
        disks.removeDisk(quick, props("pci/b"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        release.countDown();
        first.join();
        assertTrue("the quick disk's removal waited " + millis + " ms for the slow one's flush", millis < 5000);
        assertTrue("the quick disk was not flushed before it went", quick.flushes.get() > flushes);
        assertEquals(List.of(), points());
    }

    /**
     * A disk that answers every command late is waited for while it makes progress: with the wait bounded in total,
     * its volumes were dropped unflushed while it was still writing them. One that makes none is dropped.
     */
    @Test(timeout = 30000)
    public void aSlowDiskIsFlushedWhileItMakesProgressAndOneThatMakesNoneIsDropped() throws Exception {
        disks.detachTimeoutMillis = 300;
        MemoryBlockDevice slow = Volumes.whole(10_000, FatType.FAT16);
        MemoryBlockDevice hung = Volumes.whole(10_000, FatType.FAT16);
        twoDisksWithUnwrittenFiles(slow, hung, 8, 3000);
        slow.slowWrites(100); // the flush takes a few seconds, 100 ms a write
        int flushes = slow.flushes.get();
        disks.removeDisk(slow, props("pci/a"));
        assertTrue("the slow disk was not flushed", slow.flushes.get() > flushes);

        java.util.concurrent.CountDownLatch release = hung.holdFlushes();
        long start = System.nanoTime();
        disks.removeDisk(hung, props("pci/b"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        release.countDown();
        assertTrue("the removal of a disk that does not answer took " + millis + " ms", millis < 3000);
        assertEquals(List.of(), points());
    }

    /**
     * A disk whose flush makes no progress: every one of its volumes is dropped, not only those still in the table.
     * The detach had taken them all out of it before it got stuck on the first, and the second stayed mounted after
     * the removal returned, open files writing into its cache.
     */
    @Test(timeout = 30000)
    public void everyVolumeOfADiskThatMakesNoProgressIsDroppedNotOnlyTheFirst() throws Exception {
        disks.detachTimeoutMillis = 300;
        MemoryBlockDevice a = Volumes.partitioned(80_000, new long[] {2048, 20_000, 12},
                new long[] {42_048, 30_000, 12});
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        assertEquals(List.of("/mnt/sda1", "/mnt/sda2"), points());
        try (SeekableByteChannel c = table.open("/mnt/sda1/f", StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(new byte[3000])); // something to flush: the detach gets stuck on sda1
        }
        SeekableByteChannel open = table.open("/mnt/sda2/g", StandardOpenOption.CREATE, StandardOpenOption.WRITE);

        java.util.concurrent.CountDownLatch release = a.holdFlushes();
        try {
            disks.removeDisk(a, props("pci/a"));
            assertEquals("mounted after the removal returned", List.of(), points());
            assertThrows("a write to the second volume once its disk was dropped", DeviceGoneException.class,
                    () -> open.write(ByteBuffer.allocate(1)));
            assertTrue("UNMOUNTED for both: " + events.summary(DeviceEvents.MOUNT_POINT),
                    events.summary(DeviceEvents.MOUNT_POINT).containsAll(List.of(DeviceEvents.UNMOUNTED
                            + " /mnt/sda1", DeviceEvents.UNMOUNTED + " /mnt/sda2")));
        } finally {
            release.countDown();
        }
    }

    /**
     * A mount by hand still under way as its disk leaves: it either fails or is unmounted by the departure. It landed
     * after the departure had looked, and stayed mounted for good on a disk that had gone.
     */
    @Test(timeout = 30000)
    public void aMountByHandUnderWayAsItsDiskLeavesDoesNotOutliveTheDisk() throws Exception {
        disks.detachTimeoutMillis = 300;
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        table.unmount("/mnt/sda", false);
        java.util.concurrent.CountDownLatch release = a.holdFlushes(); // the mount marks the volume dirty and syncs
        Thread mounting = new Thread(() -> {
            try {
                disks.mount("sda", "/mnt/x", false);
            } catch (IOException e) {
                // refused: as good
            }
        });
        mounting.start();
        a.awaitFlush(); // the mount is under way

        disks.removeDisk(a, props("pci/a"));
        release.countDown();
        mounting.join(5000);

        long deadline = System.nanoTime() + 5_000_000_000L;
        while (points().contains("/mnt/x") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("mounted on a disk that has gone", List.of(), points());
    }

    /**
     * An unmount that waits for a volume busy with a slow disk's sync holds up nothing else: it asked for the
     * volume's open files under the mount table's lock, and every path of every volume waited with it.
     */
    @Test(timeout = 30000)
    public void anUnmountWaitingForASlowDiskDoesNotHoldUpPathsOfOtherVolumes() throws Exception {
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        MemoryBlockDevice b = Volumes.whole(10_000, FatType.FAT16);
        disks.addDisk(a, props("pci/a"));
        disks.addDisk(b, props("pci/b"));
        disks.settle();
        java.util.concurrent.CountDownLatch release = b.holdFlushes();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            threads.submit(() -> {
                table.sync(); // sda's flush, then sdb's, which waits holding sdb's volume
                return null;
            });
            b.awaitFlush();
            threads.submit(() -> {
                table.unmount("/mnt/sdb", false); // waits for sdb's volume
                return null;
            });
            Thread.sleep(200);
            java.util.concurrent.Future<?> stat = threads.submit(() -> table.stat("/mnt/sda"));
            stat.get(1, java.util.concurrent.TimeUnit.SECONDS); // a TimeoutException before
        } finally {
            release.countDown();
            threads.shutdown();
            threads.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Mounts {@code a} as sda and {@code b} as sdb and writes {@code files} files of {@code bytes} to each. */
    private void twoDisksWithUnwrittenFiles(MemoryBlockDevice a, MemoryBlockDevice b, int files, int bytes)
            throws Exception {
        disks.addDisk(a, props("pci/a"));
        disks.addDisk(b, props("pci/b"));
        disks.settle();
        for (String dir : List.of("/mnt/sda/", "/mnt/sdb/")) {
            for (int i = 0; i < files; i++) {
                try (SeekableByteChannel c = table.open(dir + "f" + i, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    c.write(ByteBuffer.wrap(new byte[bytes]));
                }
            }
        }
    }

    @Test(timeout = 10000)
    public void aSurpriseRemovalStillUnmounts() throws Exception {
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        SeekableByteChannel c = table.open("/mnt/sda/f", StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        c.write(ByteBuffer.wrap(new byte[100]));
        a.unplug();
        disks.removeDisk(a, props("pci/a"));
        assertEquals(List.of(), points());
        assertThrows(DeviceGoneException.class, () -> c.write(ByteBuffer.allocate(1)));
    }

    @Test(timeout = 10000)
    public void namesStickToDeviceIds() throws Exception {
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        disks.addDisk(a, props("pci/a"));
        disks.addDisk(Volumes.whole(10_000, FatType.FAT16), props("pci/b"));
        disks.settle();
        disks.removeDisk(a, props("pci/a"));
        disks.addDisk(Volumes.whole(10_000, FatType.FAT12), props("pci/c"));
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        assertEquals(List.of("/mnt/sda", "/mnt/sdb", "/mnt/sdc"), points());
        assertEquals("pci/c", table.mountAt("/mnt/sdc").deviceId());
    }

    @Test(timeout = 10000)
    public void mountAndFormatByName() throws Exception {
        MemoryBlockDevice a = Volumes.partitioned(60_000, new long[] {2048, 20_000, 0}, new long[] {22_048, 30_000, 16});
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        assertEquals("sda2: is mounted on /mnt/sda2: umount it first", assertThrows(FileSystemException.class,
                () -> disks.format("sda2", FatFormatter.Options.defaults(), false)).getMessage());
        assertEquals("sda1: no FAT filesystem there", assertThrows(FileSystemException.class,
                () -> disks.mount("sda1", "/mnt/x", false)).getMessage());
        disks.format("sda1", new FatFormatter.Options(FatType.FAT16, 0, "fresh", null, 0), false);
        disks.mount("sda1", "/mnt/x", true);
        assertEquals(new Disks.BlockVolume("sda1", 1, 2048, 20_000, "part", "vfat", "FRESH", "/mnt/x"),
                disks.volumes("pci/a").get(1));
        assertEquals(true, table.mountAt("/mnt/x").readOnly());
        assertEquals("sdz9: no such disk (disks: sda)", assertThrows(FileSystemException.class,
                () -> disks.mount("sdz9", "/mnt/y", false)).getMessage());
        assertEquals("sda7: no such partition on sda", assertThrows(FileSystemException.class,
                () -> disks.mount("sda7", "/mnt/y", false)).getMessage());
    }

    /** Two caches of one volume would each write their own FAT: the second mount lost the first one's files. */
    @Test(timeout = 10000)
    public void aMountedVolumeIsNotMountedAgainNorItsDiskFormatted() throws Exception {
        MemoryBlockDevice a = Volumes.partitioned(60_000, new long[] {2048, 20_000, 12}, new long[] {22_048, 30_000, 16});
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        assertEquals("sda1: already mounted on /mnt/sda1", assertThrows(FileSystemException.class,
                () -> disks.mount("sda1", "/mnt/second", false)).getMessage());
        assertEquals("sda: holds a partition table (DOS, 2 partitions): mount one of them (sda1, sda2)",
                assertThrows(FileSystemException.class, () -> disks.mount("sda", "/mnt/whole", false)).getMessage());
        assertEquals("sda: holds sda1, mounted on /mnt/sda1: umount it first", assertThrows(FileSystemException.class,
                () -> disks.format("sda", FatFormatter.Options.defaults(), true)).getMessage());
        assertEquals(List.of("/mnt/sda1", "/mnt/sda2"), points());

        table.unmount("/mnt/sda1", false);
        table.unmount("/mnt/sda2", false);
        assertEquals("sda: holds a partition table (DOS, 2 partitions): give a partition, or -I to format the whole"
                + " disk over the table", assertThrows(FileSystemException.class,
                () -> disks.format("sda", FatFormatter.Options.defaults(), false)).getMessage());
        assertEquals("a whole disk with a table, nothing mounted: the boot-sector check said 'BPB_BytsPerSec (0) must"
                + " be 512, ...'", "sda: holds a partition table (DOS, 2 partitions): mount one of them (sda1, sda2)",
                assertThrows(FileSystemException.class, () -> disks.mount("sda", "/mnt/whole", false)).getMessage());
        disks.mount("sda1", "/mnt/sda1", false); // the table is still there

        table.unmount("/mnt/sda1", false);
        disks.format("sda", new FatFormatter.Options(FatType.FAT16, 0, "whole", null, 0), true);
        disks.mount("sda", "/mnt/whole", false);
        assertEquals(List.of(new Disks.BlockVolume("sda", 0, 0, 60_000, "disk", "vfat", "WHOLE", "/mnt/whole")),
                disks.volumes("pci/a"));
    }

    private static DiskSetup setup(String device, String scheme, String partitions) {
        DiskSetup s = new DiskSetup();
        s.errors = e -> {
            throw new AssertionError(e);
        };
        s.activate(null, Map.of("device", device, "scheme", scheme, "partitions", partitions));
        return s;
    }

    @Test(timeout = 20000)
    public void aBlankDiskNamedByASetUpGetsItsTableAndVolumesAndIsMounted() throws Exception {
        disks.addSetup(setup("pci/a", "mbr", "FAT16:40M:SMALL,FAT32:*:DEVRT"));
        MemoryBlockDevice blank = new MemoryBlockDevice(512, 200 << 11); // 200 MiB
        disks.addDisk(blank, props("pci/a"));
        disks.settle();
        assertEquals(List.of("/mnt/sda1", "/mnt/sda2"), points());
        List<Disks.BlockVolume> v = disks.volumes("pci/a");
        assertEquals(new Disks.BlockVolume("sda1", 1, 2048, 40 << 11, "part", "vfat", "SMALL", "/mnt/sda1"), v.get(1));
        assertEquals(new Disks.BlockVolume("sda2", 2, 2048 + (40 << 11), (200 << 11) - 2048 - (40 << 11), "part",
                "vfat", "DEVRT", "/mnt/sda2"), v.get(2));
        assertEquals("FAT32", table.mountAt("/mnt/sda2").variant());
    }

    @Test(timeout = 20000)
    public void aGptSetUpMakesEveryPartitionItNames() throws Exception {
        disks.addSetup(setup("pci/g", "gpt", "FAT32:64M:ONE, FAT16:16M:TWO, FAT12:4M:THREE, FAT32:*:REST"));
        disks.addDisk(new MemoryBlockDevice(512, 160 << 11), props("pci/g"));
        disks.settle();
        assertEquals(List.of("/mnt/sda1", "/mnt/sda2", "/mnt/sda3", "/mnt/sda4"), points());
        assertEquals(List.of("ONE", "TWO", "THREE", "REST"), table.mounts().stream().map(MountInfo::label).toList());
        assertEquals(List.of("FAT32", "FAT16", "FAT12", "FAT32"),
                table.mounts().stream().map(MountInfo::variant).toList());
    }

    @Test(timeout = 20000)
    public void aDiskThatHoldsAnythingIsNeverSetUp() throws Exception {
        MemoryBlockDevice used = new MemoryBlockDevice(512, 100 << 11);
        used.image()[512 * 20 + 7] = 1; // one byte in the GPT entry area
        disks.addDisk(used, props("pci/a"));
        disks.settle();
        disks.addSetup(setup("pci/a", "mbr", "FAT32:*")); // arrives after the disk: the disk is looked at again
        disks.settle();
        assertEquals(List.of(), points());
        assertEquals(1, used.image()[512 * 20 + 7]);
        assertEquals(0, used.image()[510]); // no MBR signature written
    }

    @Test(timeout = 20000)
    public void aSetUpThatArrivesAfterTheBlankDiskStillAppliesToIt() throws Exception {
        disks.addDisk(new MemoryBlockDevice(512, 100 << 11), props("pci/late"));
        disks.settle();
        assertEquals(List.of(), points());
        disks.addSetup(setup("pci/late", "mbr", "FAT32:*:LATE"));
        disks.settle();
        assertEquals(List.of("/mnt/sda1"), points());
    }

    private static final String PID = "service.pid";
    private static final String FILE = "felix.fileinstall.filename";

    @Test
    public void aBadSetUpIsOneErrorNamingTheFileAndTheProblem() {
        List<String> errors = new java.util.ArrayList<>();
        Map<String, Object> named = Map.of(PID, "devrt.vfs.initialize~x", FILE, "conf/x.cfg");
        for (Map<String, Object> bad : List.of(
                Map.<String, Object>of(),
                Map.<String, Object>of("device", "d", "scheme", "apm"),
                Map.<String, Object>of("device", "d", "partitions", "FAT32:*,FAT16:10M"),
                Map.<String, Object>of("device", "d", "partitions", "NTFS:10M"),
                Map.<String, Object>of("device", "d", "partitions", "FAT16:ten"))) {
            Map<String, Object> properties = new java.util.HashMap<>(named);
            properties.putAll(bad);
            DiskSetup s = new DiskSetup();
            s.errors = errors::add;
            s.activate(null, properties); // no framework: the refusal is only said
            assertEquals("plan of " + bad, null, s.plan());
        }
        String x = "configuration devrt.vfs.initialize~x (conf/x.cfg): ";
        assertEquals(List.of(
                x + "device is missing (the disk's device id, e.g. emulated/0000:00:1f.2/port0); no disk is set up "
                        + "for it",
                x + "scheme=apm: want mbr or gpt; no disk is set up for it",
                x + "partitions: only the last one may take the rest ('*'); no disk is set up for it",
                x + "partitions: 'NTFS' in 'NTFS:10M' is not FAT12, FAT16 or FAT32; no disk is set up for it",
                x + "partitions: size 'ten' in 'FAT16:ten' is not a positive number of bytes with K, M or G, or *; no "
                        + "disk is set up for it"), errors);
    }
}
