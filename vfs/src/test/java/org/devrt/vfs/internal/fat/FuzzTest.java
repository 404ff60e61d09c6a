package org.devrt.vfs.internal.fat;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.devrt.vfs.CorruptFilesystemException;
import org.devrt.vfs.FileInfo;
import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.junit.Test;

/**
 * Valid volumes with random bytes changed in the boot sector, the FATs and the directories, mounted read-only and
 * walked: every case ends in success or a CorruptFilesystemException, and no other exception escapes.
 */
public class FuzzTest {
    private static final int CASES = 400;

    private static MemoryBlockDevice populated(FatType type) throws IOException {
        MemoryBlockDevice d = switch (type) {
            case FAT12 -> Fixtures.formatted(1L << 20, type, 0);
            case FAT16 -> Fixtures.formatted(5L << 20, type, 1);
            case FAT32 -> Fixtures.formatted(34L << 20, type, 1);
        };
        FatFileSystem fs = Fixtures.mount(d);
        Random r = new Random(type.ordinal());
        fs.createDirectory(Fixtures.p("/dir one"));
        fs.createDirectory(Fixtures.p("/dir one/sub"));
        for (int i = 0; i < 30; i++) {
            byte[] b = new byte[r.nextInt(6000)];
            r.nextBytes(b);
            Fixtures.write(fs, (i % 3 == 0 ? "/" : i % 3 == 1 ? "/dir one/" : "/dir one/sub/") + "file number " + i, b);
        }
        fs.unmount();
        return d;
    }

    @Test(timeout = 30000)
    public void mutatedVolumesFailOnlyAsCorrupt() throws Exception {
        for (FatType type : FatType.values()) {
            MemoryBlockDevice d = populated(type);
            Raw raw = new Raw(d.image());
            long metaEnd = raw.bs.type == FatType.FAT32 ? raw.clusterOffset(raw.bs.rootCluster + 60) : raw.bs.dataOffset()
                    + 60L * raw.bs.clusterSize();
            Random r = new Random(42 + type.ordinal());
            int ok = 0;
            int corrupt = 0;
            for (int c = 0; c < CASES; c++) {
                List<int[]> undo = new ArrayList<>();
                int mutations = 1 + r.nextInt(8);
                for (int m = 0; m < mutations; m++) {
                    int region = r.nextInt(3);
                    int at = region == 0 ? r.nextInt(90) : region == 1
                            ? (int) (raw.bs.fatOffset(0) + r.nextInt((int) Math.min(4096, raw.bs.fatSectors * 512)))
                            : (int) (raw.bs.rootDirOffset() + r.nextInt((int) (metaEnd - raw.bs.rootDirOffset())));
                    undo.add(new int[] {at, d.image()[at]});
                    d.image()[at] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : d.image()[at] ^ (1 << r.nextInt(8)));
                }
                try {
                    FatFileSystem fs = FatFileSystem.mount(new BlockCache(d, 0, d.blockCount(), 1 << 20), "/f", true,
                            Fixtures.CLOCK);
                    if (fs != null) {
                        walk(fs, new ArrayList<>(), 0);
                    }
                    ok++;
                } catch (CorruptFilesystemException expected) {
                    corrupt++;
                } catch (Exception | Error e) {
                    AssertionError a = new AssertionError(type + " case " + c + ": " + e);
                    a.initCause(e);
                    throw a;
                }
                for (int i = undo.size() - 1; i >= 0; i--) {
                    d.image()[undo.get(i)[0]] = (byte) undo.get(i)[1];
                }
            }
            // the mutations reach both outcomes (400 cases: about 3/4 walk, 1/4 corrupt; FAT32 half and half)
            org.junit.Assert.assertTrue(type + ": " + ok + " walked, " + corrupt + " corrupt", ok > 50 && corrupt > 50);
        }
    }

    private static void walk(FatFileSystem fs, List<String> dir, int depth) throws IOException {
        if (depth > 30) {
            fail("the walk went deeper than the volume can be: " + dir);
        }
        for (FileInfo i : fs.list(dir)) {
            List<String> child = new ArrayList<>(dir);
            child.add(i.name());
            if (i.directory()) {
                walk(fs, child, depth + 1);
            } else {
                fs.stat(child);
                try (SeekableByteChannel c = fs.open(child, Set.of())) {
                    ByteBuffer b = ByteBuffer.allocate(8192);
                    while (c.read(b.clear()) > 0) {
                        // read it all
                    }
                }
            }
        }
    }
}
