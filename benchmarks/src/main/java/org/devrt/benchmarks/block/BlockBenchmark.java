package org.devrt.benchmarks.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4's block benchmarks: the AHCI driver's {@code BlockDevice} service on the emulated machine
 * ({@code target=devrt}) against positional I/O on a {@code FileChannel} of the same image ({@code target=raw}),
 * both with page-aligned direct buffers, the image in the page cache (it is read once before each fork measures).
 *
 * <ul>
 * <li>{@code seqRead1M}, {@code seqWrite1M}: 1 MiB transfers, one after the other through the whole image, one
 *     thread; ops/s are MiB/s. Writes are not flushed on either side (both end in the page cache).</li>
 * <li>{@code randRead4kQD1}: one 4 KiB read at a random 4 KiB-aligned offset at a time: latency, us/op.</li>
 * <li>{@code randRead4kQD32}: the same from 32 threads, so 32 reads are in flight (the block-device API is
 *     synchronous): ops/s are IOPS.</li>
 * </ul>
 *
 * Ratios devrt/raw and the comparison with {@code qemu-img bench}: {@link BlockRatio} (benchmarks/run-block.sh).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class BlockBenchmark {
    static final int MIB = DiskImage.MIB;
    static final int PAGE = DiskImage.PAGE;

    /** devrt: the AHCI driver's block device on the emulated machine; raw: the image's FileChannel. */
    @Param({"devrt", "raw"})
    public String target;

    private Store store;
    private long pages;
    private long mibs;

    @Setup(Level.Trial)
    public void open() throws Exception {
        Path image = DiskImage.prepare();
        long size = DiskImage.size();
        pages = size / PAGE;
        mibs = size / MIB;
        store = switch (target) {
            case "devrt" -> new DevrtStore(image, size);
            case "raw" -> new RawStore(image);
            default -> throw new IllegalArgumentException("target: devrt or raw, not " + target);
        };
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.close();
    }

    /** Per thread: its buffers, its random offsets, and its place in a sequential pass. */
    @State(Scope.Thread)
    public static class Cursor {
        final ByteBuffer mib = DiskImage.aligned(MIB);
        final ByteBuffer page = DiskImage.aligned(PAGE);
        final SplittableRandom random = new SplittableRandom(ThreadLocalRandom.current().nextLong());
        long next;

        long nextMiB(long mibs) {
            long offset = next * MIB;
            next = next + 1 == mibs ? 0 : next + 1;
            return offset;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public ByteBuffer seqRead1M(Cursor c) throws IOException {
        return sequential(c, false);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public ByteBuffer seqWrite1M(Cursor c) throws IOException {
        return sequential(c, true);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public ByteBuffer randRead4kQD1(Cursor c) throws IOException {
        return randomRead(c);
    }

    @Benchmark
    @Threads(32)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public ByteBuffer randRead4kQD32(Cursor c) throws IOException {
        return randomRead(c);
    }

    /** The next 1 MiB of this thread's pass through the image. */
    private ByteBuffer sequential(Cursor c, boolean write) throws IOException {
        ByteBuffer b = c.mib.clear();
        if (write) {
            store.write(c.nextMiB(mibs), b);
        } else {
            store.read(c.nextMiB(mibs), b);
        }
        return b;
    }

    /** 4 KiB at a random 4 KiB-aligned offset. */
    private ByteBuffer randomRead(Cursor c) throws IOException {
        ByteBuffer b = c.page.clear();
        store.read(c.random.nextLong(pages) * PAGE, b);
        return b;
    }
}
