package org.devrt.benchmarks.net;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Locale;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link NetBenchmark} (devrt ICMP echo, devrt UDP, DatagramChannel UDP; one fork each, in this one run) and
 * prints round trips per second with the ratios devrt/datagram against issue 7's goal (at least 1x), and the bytes
 * allocated per round trip. Arguments are JMH's command-line options (e.g. {@code -i 5 -r 5s}). Usage:
 * benchmarks/run-net.sh.
 */
public final class NetRatio {
    public static void main(String[] args) throws Exception {
        double loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(NetBenchmark.class.getName() + "\\.").build()).run();
        double loadAfter = loadAverage();

        System.out.printf(Locale.ROOT, "%n== round trips, one outstanding: devrt stack + e1000 driver -> e1000 model -> "
                + "virtual switch -> e1000 model -> e1000 driver + devrt stack, and back;%n"
                + "   vs DatagramChannel ping-pong on 127.0.0.1, same run%n");
        System.out.printf(Locale.ROOT, "%d processors, load average %.2f before, %.2f after%n",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        for (String payload : payloads(results)) {
            double icmp = score(find(results, "devrtIcmpEcho", payload));
            double udp = score(find(results, "devrtUdp", payload));
            double dgram = score(find(results, "datagramUdp", payload));
            System.out.printf(Locale.ROOT, "%npayload %s B%n%-28s %14s %18s   %s%n", payload, "", "round trips/s",
                    "vs datagram UDP", "goal");
            System.out.printf(Locale.ROOT, "%-28s %14s %17.0f %18s%n", "DatagramChannel UDP", "", dgram, "1.00x");
            System.out.printf(Locale.ROOT, "%-28s %14s %17.0f %17.2fx   >= 1x%n", "devrt UDP (e1000 x2)", "", udp,
                    udp / dgram);
            System.out.printf(Locale.ROOT, "%-28s %14s %17.0f %17.2fx   >= 1x%n", "devrt ICMP echo (e1000 x2)", "",
                    icmp, icmp / dgram);
            RunResult wu = findOrNull(results, "wireUdp", payload);
            RunResult wi = findOrNull(results, "wireIcmpEcho", payload);
            if (wu != null && wi != null) {
                System.out.printf(Locale.ROOT, "%-28s %14s %17.0f %17.2fx   (diagnostic: no NIC)%n",
                        "devrt UDP, in-memory wire", "", score(wu), score(wu) / dgram);
                System.out.printf(Locale.ROOT, "%-28s %14s %17.0f %17.2fx   (diagnostic: no NIC)%n",
                        "devrt ICMP, in-memory wire", "", score(wi), score(wi) / dgram);
            }
            System.out.printf(Locale.ROOT, "%nbytes allocated per round trip (goal: 0 on the stack's steady path)%n");
            System.out.printf("%-28s %10s %10s %10s %10s %8s%n", "", "client", "stacks", "responder", "other", "lost");
            for (String b : new String[] {"datagramUdp", "devrtUdp", "devrtIcmpEcho", "wireUdp", "wireIcmpEcho"}) {
                RunResult r = findOrNull(results, b, payload);
                if (r == null) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "%-28s %10.1f %10.1f %10.1f %10.1f %8.0f%n", b,
                        mean(r, "allocClient"), mean(r, "allocStack"), mean(r, "allocResponder"),
                        mean(r, "allocOther"), secondary(r, "lost"));
            }
        }
        System.out.println("(mean of the measured iterations; lost: total over them. client = the benchmark thread; stacks = both devrt-network stack threads; responder = "
                + "the UDP echo thread; other = every other thread: the e1000 drivers' workers and the emulator's"
                + " interrupt thread. A round trip runs on the client's and the responder's threads: see the README)");
    }

    private static String[] payloads(Collection<RunResult> results) {
        return results.stream().map(r -> r.getParams().getParam("payload")).distinct().toArray(String[]::new);
    }

    private static RunResult find(Collection<RunResult> results, String benchmark, String payload) {
        RunResult r = findOrNull(results, benchmark, payload);
        if (r == null) {
            throw new IllegalStateException("no result for " + benchmark);
        }
        return r;
    }

    private static RunResult findOrNull(Collection<RunResult> results, String benchmark, String payload) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + benchmark)
                        && payload.equals(r.getParams().getParam("payload")))
                .findFirst().orElse(null);
    }

    private static double score(RunResult r) {
        return r.getPrimaryResult().getScore();
    }

    private static double secondary(RunResult r, String name) {
        Result<?> s = r.getSecondaryResults().get(name);
        return s == null ? Double.NaN : s.getScore();
    }

    /**
     * The mean over the measured iterations: JMH sums an {@code EVENTS} counter over iterations (the figure in its
     * own table for allocClient etc. is that sum), so the per-iteration value is the statistics' mean.
     */
    private static double mean(RunResult r, String name) {
        Result<?> s = r.getSecondaryResults().get(name);
        return s == null ? Double.NaN : s.getStatistics().getMean();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
