package org.devrt.vfs.internal.fat;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.devrt.device.DeviceGoneException;
import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.fakes.FileBlockDevice;
import org.devrt.vfs.internal.fakes.HostTools;
import org.devrt.vfs.internal.fakes.UnpluggableDevice;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Surprise removal: files are written and synced, more writes are in progress (in the cache, and in flight to the
 * disk during a flush) when the disk is pulled. On the image as pulled, fsck.fat -n finds no damage beyond what the
 * write order allows (a file being written mis-sized, lost clusters, the dirty bit); re-plugged, devrt's read-write
 * mount repairs that, and after it unmounts fsck.fat -n finds nothing at all; every synced file reads back intact
 * through devrt, mcopy and mtype.
 */
public class SurpriseRemovalTest {
    /** What fsck.fat prints for a cross-linked or otherwise damaged file or directory (dosfstools 4.x, check.c). */
    private static final List<String> DAMAGE = List.of("cross-linked", "share clusters", "contains a free cluster",
            "bad cluster", "has no clusters", "beyond end", "beyond limit", "loop", "invalid", "not a directory",
            "bad short file name", "deleting", "dot", "duplicate");
    private static final int SEEDS = Integer.getInteger("devrt.test.unplugs", 150); // seed 141 found a real bug
    /** -Ddevrt.test.unplug.seed=N runs only seed N: to reproduce one failure. */
    private static final int ONLY = Integer.getInteger("devrt.test.unplug.seed", 0);

    /**
     * Unplugs that left a file being written mis-sized on the disk as pulled. FAT cannot make growing a file that
     * already has clusters on the disk atomic: the FAT entry that links the new clusters and the directory entry that
     * holds the new size are in different sectors, and a disk pulled between the two writes leaves a chain longer
     * than the size whatever their order. The re-plugged mount's {@link DirtyRecovery} cuts such a chain to the size.
     */
    private int misSizedWhenPulled;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void fat32() throws Exception {
        seeds(FatType.FAT32, 1);
    }

    @Test
    public void fat16() throws Exception {
        seeds(FatType.FAT16, 4);
    }

    /** Every seed, then one failure naming all that failed. */
    private void seeds(FatType type, int sectorsPerCluster) throws Exception {
        HostTools.require("fsck.fat", "mtype", "mcopy");
        StringBuilder failures = new StringBuilder();
        int failed = 0;
        for (int seed = ONLY > 0 ? ONLY : 1; seed <= (ONLY > 0 ? ONLY : SEEDS); seed++) {
            try {
                pullDuringWrites(type, sectorsPerCluster, seed);
            } catch (AssertionError e) {
                failed++;
                failures.append(e.getMessage()).append("\n");
            }
        }
        if (failed > 0) {
            fail(failed + " of " + SEEDS + " unplugs damaged the volume:\n" + failures);
        }
        System.out.printf("%s: %d unplugs, fsck.fat -n clean after each re-plug; %d left a file being written"
                + " mis-sized on the disk as pulled (the FAT-link/size window), repaired by the mount%n", type, SEEDS,
                misSizedWhenPulled);
    }

    private void pullDuringWrites(FatType type, int sectorsPerCluster, int seed) throws Exception {
        HostTools.require("fsck.fat", "mtype");
        String what = type + " seed " + seed;
        Random random = new Random(seed);
        Path img = tmp.newFile(type + "-" + seed + ".img").toPath();
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        Map<String, byte[]> synced = new LinkedHashMap<>();
        try (FileBlockDevice file = new FileBlockDevice(img, 512)) {
            FatFormatter.format(Fixtures.cache(file), 512,
                    new FatFormatter.Options(type, sectorsPerCluster, "PULL", 0x1234ABCDL, 0), Fixtures.CLOCK);
            UnpluggableDevice disk = new UnpluggableDevice(file);
            // a small cache, so that evictions write back while the application is still writing
            FatFileSystem fs = FatFileSystem.mount(new BlockCache(disk, 0, disk.blockCount(), 256 << 10), "/mnt/pull",
                    false, Fixtures.CLOCK);
            fs.createDirectory(Fixtures.p("/keep"));
            for (int i = 0; i < 6; i++) {
                String path = (i % 2 == 0 ? "/keep/" : "/") + "synced " + i + ".bin";
                byte[] data = bytes(random, sizeFor(random, fs.clusterSize()));
                Fixtures.write(fs, path, data);
                synced.put(path, data);
            }
            fs.sync();

            long before = disk.writes();
            disk.unplugAfterWrites(1 + random.nextInt(40), random.nextInt(9));
            try {
                fs.createDirectory(Fixtures.p("/busy"));
                for (int i = 0; i < 40; i++) {
                    String path = (i % 3 == 0 ? "/busy/" : "/keep/") + "pending " + i + ".bin";
                    byte[] data = bytes(random, sizeFor(random, fs.clusterSize()));
                    try (SeekableByteChannel c = fs.open(Fixtures.p(path),
                            Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE))) {
                        // pieces of random sizes: some go through the cache's pages, some bypass it
                        ByteBuffer b = ByteBuffer.wrap(data);
                        while (b.hasRemaining()) {
                            c.write(b.slice().limit(Math.min(b.remaining(), 1 + random.nextInt(200_000))));
                            b.position((int) c.position());
                        }
                    }
                    if (random.nextInt(8) == 0) {
                        fs.delete(Fixtures.p(path));
                    }
                    if (random.nextInt(6) == 0) {
                        fs.sync();
                    }
                }
                fs.sync();
                disk.unplug(); // the armed write never came: pull it now, with nothing in flight
            } catch (DeviceGoneException expected) {
                assertTrue(what, disk.isGone());
            }
            fs.gone("unplugged");
            assertTrue(what + ": some writes reached the disk after the sync", disk.writes() >= before);
        }

        // as the disk was left: what the write order allows (a chain longer than its size, lost clusters), no more
        String pulled = fsck(img, what + ", as pulled", synced.keySet(), false);
        if (pulled.contains("File size is")) {
            misSizedWhenPulled++;
        }

        // re-plugged: a read-write mount repairs what the write order left, and then fsck.fat finds nothing at all
        try (FileBlockDevice fresh = new FileBlockDevice(img, 512)) {
            FatFileSystem fs = FatFileSystem.mount(Fixtures.cache(fresh), "/mnt/replug", false, Fixtures.CLOCK);
            assertTrue(what + ": the pulled volume is dirty", fs.wasDirty());
            assertTrue(what + ": " + fs.recovery(), fs.recovery().startsWith("repaired: "));
            for (Map.Entry<String, byte[]> e : synced.entrySet()) {
                assertArrayEquals(what + ": " + e.getKey() + " through devrt", e.getValue(), Fixtures.read(fs, e.getKey()));
            }
            fs.unmount();
        }
        fsck(img, what + ", re-plugged and unmounted", synced.keySet(), true);

        for (Map.Entry<String, byte[]> e : synced.entrySet()) {
            Path out = tmp.newFile().toPath();
            Files.delete(out);
            HostTools.run("mcopy", "-n", "-i", img.toString(), "::" + e.getKey(), out.toString()).ok();
            assertArrayEquals(what + ": " + e.getKey() + " through mcopy", e.getValue(), Files.readAllBytes(out));
            HostTools.Result typed = HostTools.run("mtype", "-i", img.toString(), "::" + e.getKey()).ok();
            assertTrue(what + ": " + e.getKey() + " through mtype",
                    typed.out().equals(new String(e.getValue(), StandardCharsets.UTF_8)));
        }
    }

    /**
     * Runs fsck.fat -n on the image and fails on damage: any cross-link, loop, bad chain or directory, a mis-sized file
     * that was synced (or any mis-sized file, and any finding at all, when {@code clean}). Returns the report.
     */
    private static String fsck(Path img, String what, Set<String> synced, boolean clean) throws Exception {
        HostTools.Result fsck = HostTools.run("fsck.fat", "-n", img.toString());
        String report = fsck.out() + fsck.err();
        String lower = report.toLowerCase(Locale.ROOT);
        for (String damage : DAMAGE) {
            if (lower.contains(damage)) {
                fail(what + ": fsck.fat -n found damage (\"" + damage + "\"):\n" + report);
            }
        }
        // mis-sized files: "<path>" then "  File size is N bytes, cluster chain length is [>] M bytes."
        String[] lines = report.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].contains("File size is")) {
                String path = lines[i - 1].trim();
                boolean wasSynced = synced.stream().anyMatch(k -> k.equalsIgnoreCase(path));
                if (wasSynced || clean) {
                    fail(what + ": fsck.fat -n found " + (wasSynced ? "the synced file " : "") + path
                            + " mis-sized:\n" + report);
                }
            }
        }
        // 0: clean; 1: problems found and left alone (a set dirty bit, lost clusters, a stale free count). Not more.
        assertTrue(what + ": fsck.fat -n exit " + fsck.exit() + "\n" + report, fsck.exit() <= (clean ? 0 : 1));
        return report;
    }

    /** Empty, under a cluster, exactly one cluster, several clusters, or hundreds of KiB. */
    private static int sizeFor(Random random, int cluster) {
        return switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> 1 + random.nextInt(cluster - 1);
            case 2 -> cluster;
            case 3 -> cluster * (2 + random.nextInt(10)) + random.nextInt(cluster);
            default -> 100_000 + random.nextInt(400_000);
        };
    }

    /** Printable ASCII, so that mtype's text output can be compared byte for byte. */
    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + random.nextInt(26));
        }
        return b;
    }
}
