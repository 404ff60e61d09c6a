package org.devrt.benchmarks.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * The image both sides of a block benchmark use: {@code -Ddevrt.bench.image}, by default
 * {@code benchmarks/target/bench/disk.img} under the working directory (the repository root), 1 GiB
 * ({@code -Ddevrt.bench.image.size}). Created sparse, then filled once with pseudo-random bytes so that reads
 * find data rather than holes; a marker file next to it says the fill is complete.
 */
final class DiskImage {
    static final int PAGE = 4096;
    static final int MIB = 1 << 20;

    private DiskImage() {
    }

    static Path path() {
        String configured = System.getProperty("devrt.bench.image");
        if (configured != null) {
            return Paths.get(configured).toAbsolutePath();
        }
        Path root = Files.isDirectory(Paths.get("benchmarks")) ? Paths.get("benchmarks") : Paths.get(".");
        return root.resolve("target/bench/disk.img").toAbsolutePath().normalize();
    }

    static long size() {
        long size = Long.getLong("devrt.bench.image.size", 1L << 30);
        if (size <= 0 || size % MIB != 0) {
            throw new IllegalArgumentException("devrt.bench.image.size must be a positive multiple of 1 MiB");
        }
        return size;
    }

    /** The image, created and filled if it is not yet; then read once, so that both sides start from the page cache. */
    static Path prepare() throws IOException {
        Path image = path();
        long size = size();
        Path marker = image.resolveSibling(image.getFileName() + ".filled-" + size);
        Files.createDirectories(image.getParent());
        if (!Files.exists(marker) || Files.size(image) != size) {
            Files.deleteIfExists(marker);
            try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.allocate(1), size - 1); // sparse at first
                ByteBuffer chunk = aligned(MIB);
                SplittableRandom random = new SplittableRandom(42);
                for (long offset = 0; offset < size; offset += MIB) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        chunk.putLong(random.nextLong());
                    }
                    chunk.flip();
                    while (chunk.hasRemaining()) {
                        ch.write(chunk, offset + chunk.position());
                    }
                }
                ch.force(false);
            }
            Files.createFile(marker);
            System.out.printf("filled %s (%d MiB)%n", image, size / MIB);
        }
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer chunk = aligned(MIB);
            for (long offset = 0; offset < size; offset += MIB) {
                chunk.clear();
                ch.read(chunk, offset);
            }
        }
        return image;
    }

    /** A direct buffer of {@code size} bytes whose address is a multiple of 4096. */
    static ByteBuffer aligned(int size) {
        int pages = (size + PAGE - 1) / PAGE;
        // alignedSlice also rounds the end down to a page: one page more than the whole pages needed
        return ByteBuffer.allocateDirect((pages + 1) * PAGE).alignedSlice(PAGE).limit(size).slice();
    }
}
