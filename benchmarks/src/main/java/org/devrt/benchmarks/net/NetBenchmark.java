package org.devrt.benchmarks.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 * Issue 7's network benchmark: round trips per second, one outstanding at a time, between two devrt interfaces
 * (two e1000 NICs with the real driver on the emulator's virtual switch, each with its own devrt stack and stack
 * thread: {@link DevrtPair}) against Java {@link java.nio.channels.DatagramChannel} ping-pong on 127.0.0.1
 * ({@link DatagramPair}), in the same run.
 *
 * <ul>
 * <li>{@code devrtIcmpEcho}: A's echo socket sends an ICMP echo request with {@code payload} bytes of data to B,
 * B's stack answers, A's echo socket receives the reply.
 * <li>{@code devrtUdp}: A's UDP socket sends {@code payload} bytes to B:7, B's responder thread (a devrt UDP socket)
 * sends them back, A receives.
 * <li>{@code datagramUdp}: the same with DatagramChannels on 127.0.0.1.
 * <li>{@code wireIcmpEcho}, {@code wireUdp}: a diagnostic, not the issue's figure: the same two stacks and stack
 * threads joined by a {@link MemoryWire} (no NIC, no emulator), to tell the stacks' cost from the NIC path's.
 * </ul>
 *
 * <p>Allocation, bytes per round trip over each measured iteration, from the JVM's per-thread counters:
 * {@code allocClient} (the benchmark thread, which runs its request through both NICs and into B's stack, and for
 * ICMP the whole exchange), {@code allocStack} (the two devrt-network stack threads), {@code allocResponder} (the
 * UDP echo thread, which runs its answer back the same way), {@code allocOther} (every other thread that existed at
 * the iteration's start: for devrt the e1000 drivers' workers and the emulator's interrupt thread).
 * {@code lost}: round trips that got no answer within 1 s (counted, not retried). JMH sums {@code EVENTS} counters
 * over the measured iterations, so its own table shows the allocation figures times the iteration count;
 * {@link NetRatio} prints the per-iteration mean.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NetBenchmark {
    /** Bytes of ICMP echo data and of UDP payload (56: ping's default). */
    @Param({"56"})
    public int payload;

    private ByteBuffer request;
    private ByteBuffer reply;

    @Setup(Level.Trial)
    public void buffers() {
        request = ByteBuffer.allocateDirect(payload);
        for (int i = 0; i < payload; i++) {
            request.put(i, (byte) i);
        }
        reply = ByteBuffer.allocateDirect(Math.max(2048, payload));
    }

    @State(Scope.Benchmark)
    public static class Devrt {
        DevrtPair pair;

        @Setup(Level.Trial)
        public void open() throws Exception {
            pair = new DevrtPair(true);
        }

        @TearDown(Level.Trial)
        public void close() {
            System.out.printf("%ndevrt: %d round trips lost%n%s%n", pair.lost, pair.counters());
            pair.close();
        }
    }

    /** Diagnostic: the same two stacks and threads over a {@link MemoryWire}, no NIC. */
    @State(Scope.Benchmark)
    public static class Wire {
        DevrtPair pair;

        @Setup(Level.Trial)
        public void open() throws Exception {
            pair = new DevrtPair(false);
        }

        @TearDown(Level.Trial)
        public void close() {
            System.out.printf("%nwire: %d round trips lost%n%s%n", pair.lost, pair.counters());
            pair.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Datagram {
        DatagramPair pair;

        @Setup(Level.Trial)
        public void open() throws Exception {
            pair = new DatagramPair();
        }

        @TearDown(Level.Trial)
        public void close() {
            pair.close();
        }
    }

    @Benchmark
    public boolean devrtIcmpEcho(Devrt d, Allocation a) throws IOException {
        return a.counted(d.pair.ping(payload));
    }

    @Benchmark
    public boolean devrtUdp(Devrt d, Allocation a) throws IOException {
        return a.counted(d.pair.udp(request, reply));
    }

    @Benchmark
    public boolean wireIcmpEcho(Wire d, Allocation a) throws IOException {
        return a.counted(d.pair.ping(payload));
    }

    @Benchmark
    public boolean wireUdp(Wire d, Allocation a) throws IOException {
        return a.counted(d.pair.udp(request, reply));
    }

    @Benchmark
    public boolean datagramUdp(Datagram d, Allocation a) throws IOException {
        return a.counted(d.pair.udp(request, reply));
    }

    /** Bytes allocated per round trip in the iteration, by thread group; and round trips lost. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Allocation {
        public double allocClient;
        public double allocStack;
        public double allocResponder;
        public double allocOther;
        public long lost;
        long roundTrips;
        private Map<Long, Long> before;

        /** Counts a round trip, and a lost one when {@code ok} is false; returns {@code ok}. */
        boolean counted(boolean ok) {
            roundTrips++;
            if (!ok) {
                lost++;
            }
            return ok;
        }
        private Map<Long, String> names;

        @Setup(Level.Iteration)
        public void start() {
            allocClient = allocStack = allocResponder = allocOther = 0;
            roundTrips = 0;
            lost = 0;
            names = new HashMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                names.put(t.getId(), t.getName());
            }
            before = org.devrt.benchmarks.ThreadAllocation.snapshot();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            Map<Long, Long> after = org.devrt.benchmarks.ThreadAllocation.snapshot();
            double n = Math.max(1, roundTrips);
            long me = Thread.currentThread().getId();
            long client = 0;
            long stack = 0;
            long responder = 0;
            long other = 0;
            Map<String, Long> otherByName = new java.util.TreeMap<>();
            for (Map.Entry<Long, Long> e : after.entrySet()) {
                Long old = before.get(e.getKey());
                if (old == null || old < 0 || e.getValue() < 0) {
                    continue; // a thread that started during the iteration: JMH's, not the data path's
                }
                long delta = e.getValue() - old;
                String name = names.getOrDefault(e.getKey(), "");
                if (e.getKey() == me) {
                    client += delta;
                } else if (name.startsWith("devrt-network")) {
                    stack += delta;
                } else if (name.endsWith("-udp-echo")) {
                    responder += delta;
                } else {
                    other += delta;
                    if (delta > 0) {
                        otherByName.merge(name.replaceAll("[0-9]+", "#"), delta, Long::sum);
                    }
                }
            }
            StringBuilder top = new StringBuilder();
            otherByName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                    .forEach(e -> top.append(String.format(java.util.Locale.ROOT, " [%s] %.1f", e.getKey(),
                            e.getValue() / n)));
            System.out.printf("  other threads, bytes per round trip:%s%n", top);
            allocClient = client / n;
            allocStack = stack / n;
            allocResponder = responder / n;
            allocOther = other / n;
        }

    }
}
