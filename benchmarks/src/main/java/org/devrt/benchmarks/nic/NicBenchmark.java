package org.devrt.benchmarks.nic;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 6's NIC benchmark: frames per second from one e1000 driver's transmit to another e1000 driver's receive
 * through the emulated machine's virtual switch ({@code link=e1000}), against a Java {@code DatagramChannel} one
 * way on 127.0.0.1 ({@code link=datagram}), in the same run.
 *
 * <p>One operation is one frame accepted by the sender ({@code transmit} or {@code write}); the sender keeps at
 * most {@link #WINDOW} frames ahead of the receiver's count (the receive ring holds 256), yielding the CPU while
 * the window is closed or the transmit ring full, so the figure is a delivered rate; {@code received} (ops/s) is
 * what the receiver actually counted, and {@code lost} the frames given up on (a closed window that did not move
 * for 50 ms) that had not arrived after all by the iteration's end. {@code size=64} is a minimum Ethernet frame,
 * 64 bytes on the wire with the FCS, so 60 bytes are handed to transmit and written as the datagram's payload;
 * {@code size=1514} is a full frame without the FCS, 1514 bytes either way.
 *
 * <p>Allocation, in bytes per received frame over each measured iteration, from the JVM's per-thread allocation
 * counters: {@code allocSender} (the benchmark thread: transmit; for e1000 also the sending model's transmit unit,
 * the switch and, when the receiving port is idle, its interrupt and receive pass), {@code allocReceiver} (the
 * receiving driver's worker, or the datagram thread), {@code allocDriver} (the drivers' other threads, named
 * "e1000 ...": the sending port's worker), {@code allocOther} (every other thread: for e1000 the emulator's
 * interrupt thread).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NicBenchmark {
    static final int WINDOW = Integer.getInteger("devrt.bench.window", 128);
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final int PAGE = 4096;

    /** e1000: driver to driver through the virtual switch; datagram: DatagramChannel on 127.0.0.1. */
    @Param({"e1000", "datagram"})
    public String link;

    /** Ethernet frame size: 64 (60 bytes and the FCS) or 1514 (without the FCS). */
    @Param({"64", "1514"})
    public int size;

    private Link path;
    private ByteBuffer frame;
    private long sent;
    private long lost;
    private int credit;

    @Setup(Level.Trial)
    public void open() throws Exception {
        int length = size == 64 ? 60 : size;
        switch (link) {
            case "e1000" -> {
                E1000Link e = new E1000Link();
                path = e;
                frame = e.frame(length);
            }
            case "datagram" -> {
                path = new DatagramLink();
                frame = aligned(length);
            }
            default -> throw new IllegalArgumentException("link: e1000 or datagram, not " + link);
        }
        sent = path.received(); // the e1000 hello is not one of ours
    }

    @TearDown(Level.Trial)
    public void close() {
        System.out.printf("%nsent %d, received %d, given up %d; %s%n", sent, path.received(), lost, path.counters());
        path.close();
    }

    @Benchmark
    public void frame(Received r, Allocation a) {
        if (credit == 0) {
            openWindow(r);
        }
        ByteBuffer f = frame;
        f.clear();
        while (!path.send(f)) {
            Thread.yield();
            f.clear();
        }
        sent++;
        credit--;
    }

    /** Waits until the receiver is less than a window behind; also updates the received count. */
    private void openWindow(Received r) {
        long stalledSince = 0;
        long seen = -1;
        while (true) {
            long got = path.received();
            r.received = got - r.base;
            long ahead = sent - got - lost;
            if (ahead < 0) { // frames given up on arrived after all
                lost += ahead;
                ahead = 0;
            }
            if (ahead < WINDOW) {
                credit = (int) (WINDOW - ahead);
                return;
            }
            if (got != seen) {
                seen = got;
                stalledSince = System.nanoTime();
            } else if (System.nanoTime() - stalledSince > STALL_NANOS) {
                lost += ahead; // they are not coming
            }
            Thread.yield();
        }
    }

    /** Frames the receiver counted, as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Received {
        public long received;
        private long base;

        @Setup(Level.Iteration)
        public void start(NicBenchmark b) {
            base = b.path.received();
            received = 0;
        }
    }

    /** Bytes allocated per received frame in the iteration, by thread group; and the frames lost. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Allocation {
        public double allocSender;
        public double allocReceiver;
        public double allocDriver;
        public double allocOther;
        public long lost;
        private Map<Long, Long> before;
        private long receivedBefore;
        private long lostBefore;
        private Set<Long> driverThreads;

        @Setup(Level.Iteration)
        public void start(NicBenchmark b) {
            allocSender = allocReceiver = allocDriver = allocOther = 0;
            lost = 0;
            receivedBefore = b.path.received();
            lostBefore = b.lost;
            driverThreads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("e1000 "))
                    .map(Thread::getId).collect(Collectors.toSet());
            before = org.devrt.benchmarks.ThreadAllocation.snapshot(); // last: what the lines above allocate is not the data path's
        }

        @TearDown(Level.Iteration)
        public void stop(NicBenchmark b) {
            Map<Long, Long> after = org.devrt.benchmarks.ThreadAllocation.snapshot();
            long frames = Math.max(1, b.path.received() - receivedBefore);
            long me = Thread.currentThread().getId();
            Thread receiver = b.path.receiverThread();
            long rx = receiver == null ? -1 : receiver.getId();
            long sender = 0;
            long receiving = 0;
            long driver = 0;
            long other = 0;
            for (Map.Entry<Long, Long> e : after.entrySet()) {
                Long old = before.get(e.getKey());
                if (old == null || old < 0 || e.getValue() < 0) {
                    continue; // a thread that started during the iteration: JMH's, not the data path's
                }
                long delta = e.getValue() - old;
                if (e.getKey() == me) {
                    sender += delta;
                } else if (e.getKey() == rx) {
                    receiving += delta;
                } else if (driverThreads.contains(e.getKey())) {
                    driver += delta;
                } else {
                    other += delta;
                }
            }
            allocSender = (double) sender / frames;
            allocReceiver = (double) receiving / frames;
            allocDriver = (double) driver / frames;
            allocOther = (double) other / frames;
            lost = b.lost - lostBefore;
        }

    }

    /** A direct buffer of {@code size} bytes whose address is a multiple of 4096. */
    static ByteBuffer aligned(int size) {
        int pages = (size + PAGE - 1) / PAGE;
        // alignedSlice also rounds the end down to a page: one page more than the whole pages needed
        return ByteBuffer.allocateDirect((pages + 1) * PAGE).alignedSlice(PAGE).limit(size).slice();
    }
}
