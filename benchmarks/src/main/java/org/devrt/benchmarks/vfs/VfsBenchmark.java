package org.devrt.benchmarks.vfs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.cache.Buffers;
import org.devrt.vfs.internal.fat.FatFileSystem;
import org.devrt.vfs.internal.fat.FatFormatter;
import org.devrt.vfs.internal.fat.FatType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 5's VFS benchmarks, on the plain JVM: a FAT32 volume made by devrt's own mkfs on a 1 GiB sparse image
 * (target/bench/vfs.img, or -Ddevrt.bench.vfs.image), used through devrt's FAT code and block cache (8 MiB, the
 * default) over {@link ImageDevice}; the baseline is a raw FileChannel on the same image, at an offset the FAT
 * file does not reach, with the same sizes and the same 1 MiB direct buffer. Each operation is a whole 256 MiB file
 * (single-shot time, the median of 9; MB/s = 256 / seconds) or 10,000 small files (files/s = 10,000 / seconds). Writes end with a
 * sync (devrt: FatFileSystem.sync, i.e. FSInfo + cache flush + force; raw: force), so both pay for reaching the
 * image file. Reads are served from the host's page cache for both. Run: benchmarks/run-vfs.sh.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 9)
@Fork(1)
@State(Scope.Benchmark)
public class VfsBenchmark {
    static final long IMAGE_BYTES = 1L << 30;
    static final int FILE_BYTES = 256 << 20;
    static final int BUFFER = 1 << 20;
    static final int SMALL_FILES = 10_000;
    static final int SMALL_FILE_BYTES = 1000;
    /** Where the raw baseline reads and writes: past what the FAT file and the small files occupy. */
    static final long RAW_OFFSET = 640L << 20;
    static final List<String> BIG = List.of("big.bin");

    private Path image;
    private ImageDevice device;
    private FatFileSystem fs;
    private FileChannel raw;
    private ByteBuffer buffer;
    private int directory;

    static Path imagePath() {
        return Path.of(System.getProperty("devrt.bench.vfs.image", "target/bench/vfs.img")).toAbsolutePath();
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        image = imagePath();
        Files.createDirectories(image.getParent());
        Files.deleteIfExists(image);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(IMAGE_BYTES); // sparse
        }
        device = new ImageDevice(image);
        FatFormatter.format(new BlockCache(device, 0, device.blockCount(), 1 << 20), ImageDevice.BLOCK,
                new FatFormatter.Options(FatType.FAT32, 0, "BENCH", 0x5EEDL, 0), Clock.systemUTC());
        fs = FatFileSystem.mount(new BlockCache(device, 0, device.blockCount(), BlockCache.DEFAULT_CAPACITY_BYTES),
                "/mnt/bench", false, Clock.systemUTC());
        raw = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        // page-aligned: allocateDirect's memory starts 16 bytes past a page, where the kernel's copies run slower and
        // devrt's cache would stage the transfer rather than hand the caller's buffer to the device
        buffer = Buffers.allocate(BUFFER);
        for (int i = 0; i < BUFFER; i++) {
            buffer.put(i, (byte) (i * 31 + 7));
        }
        devrtWrite(); // the file the reads read, and the raw region
        rawWrite();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        fs.unmount();
        raw.close();
        device.close();
    }

    @Benchmark
    public long devrtWrite() throws IOException {
        try (SeekableByteChannel c = fs.open(BIG, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING))) {
            for (int done = 0; done < FILE_BYTES; done += BUFFER) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    c.write(buffer);
                }
            }
        }
        fs.sync();
        return FILE_BYTES;
    }

    /**
     * The same 256 MiB written over the file's own clusters (no truncate, no allocation): like the raw baseline, it
     * rewrites blocks the image file already has, where {@link #devrtWrite} frees and allocates clusters (and, with
     * the next-free hint moving on, lands on holes of the sparse image that the host must allocate at fsync).
     */
    @Benchmark
    public long devrtOverwrite() throws IOException {
        try (SeekableByteChannel c = fs.open(BIG, Set.of(StandardOpenOption.WRITE))) {
            for (int done = 0; done < FILE_BYTES; done += BUFFER) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    c.write(buffer);
                }
            }
        }
        fs.sync();
        return FILE_BYTES;
    }

    @Benchmark
    public long rawWrite() throws IOException {
        for (long done = 0; done < FILE_BYTES; done += BUFFER) {
            buffer.clear();
            long pos = RAW_OFFSET + done;
            while (buffer.hasRemaining()) {
                pos += raw.write(buffer, pos);
            }
        }
        raw.force(false);
        return FILE_BYTES;
    }

    @Benchmark
    public long devrtRead() throws IOException {
        long sum = 0;
        try (SeekableByteChannel c = fs.open(BIG, Set.of(StandardOpenOption.READ))) {
            for (int done = 0; done < FILE_BYTES; done += BUFFER) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    if (c.read(buffer) < 0) {
                        throw new IOException("short file");
                    }
                }
                sum += buffer.get(BUFFER - 1);
            }
        }
        return sum;
    }

    @Benchmark
    public long rawRead() throws IOException {
        long sum = 0;
        for (long done = 0; done < FILE_BYTES; done += BUFFER) {
            buffer.clear();
            long pos = RAW_OFFSET + done;
            while (buffer.hasRemaining()) {
                int n = raw.read(buffer, pos);
                if (n < 0) {
                    throw new IOException("short image");
                }
                pos += n;
            }
            sum += buffer.get(BUFFER - 1);
        }
        return sum;
    }

    /** 10,000 files of 1000 bytes, created in a new directory, then one sync; 4 runs, 40 MiB of clusters each. */
    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public int smallFiles() throws IOException {
        String dir = "d" + directory++;
        fs.createDirectory(List.of(dir));
        ByteBuffer small = ByteBuffer.allocate(SMALL_FILE_BYTES);
        for (int i = 0; i < SMALL_FILES; i++) {
            try (SeekableByteChannel c = fs.open(List.of(dir, "file" + i + ".txt"),
                    Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW))) {
                small.clear();
                small.putInt(0, i);
                while (small.hasRemaining()) {
                    c.write(small);
                }
            }
        }
        fs.sync();
        return SMALL_FILES;
    }
}
