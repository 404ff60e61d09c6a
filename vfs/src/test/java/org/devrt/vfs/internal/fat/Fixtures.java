package org.devrt.vfs.internal.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.devrt.device.BlockDevice;
import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;

/** Volumes for the FAT tests: formatted by devrt's own mkfs, on an in-memory disk, with a fixed clock. */
final class Fixtures {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-17T10:20:31.450Z"), ZoneOffset.UTC);

    private Fixtures() {
    }

    static MemoryBlockDevice formatted(long bytes, FatType type, int sectorsPerCluster) throws IOException {
        MemoryBlockDevice d = new MemoryBlockDevice(512, bytes / 512);
        FatFormatter.format(cache(d), 512, new FatFormatter.Options(type, sectorsPerCluster, "TEST", 0x1234ABCDL, 0),
                CLOCK);
        return d;
    }

    static BlockCache cache(BlockDevice d) {
        return new BlockCache(d, 0, d.blockCount(), 1 << 20);
    }

    static FatFileSystem mount(BlockDevice d) throws IOException {
        return FatFileSystem.mount(cache(d), "/mnt/t", false, CLOCK);
    }

    static List<String> p(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    static void write(FatFileSystem fs, String path, byte[] data) throws IOException {
        try (SeekableByteChannel c = fs.open(p(path), Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING))) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                c.write(b);
            }
        }
    }

    static byte[] read(FatFileSystem fs, String path) throws IOException {
        try (SeekableByteChannel c = fs.open(p(path), Set.of(StandardOpenOption.READ))) {
            ByteBuffer b = ByteBuffer.allocate((int) c.size());
            while (b.hasRemaining() && c.read(b) >= 0) {
                // keep reading
            }
            return b.array();
        }
    }
}
