package org.devrt.benchmarks.nic;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Locale;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link NicBenchmark} (e1000 and datagram, 64- and 1514-byte frames, one fork each, in this one run) and
 * prints the delivered frame rates as ratios e1000/datagram, with the bytes allocated per frame, against issue 6's
 * goals. Arguments are JMH's command-line options (e.g. {@code -i 5 -r 5s}). Usage: benchmarks/run-nic.sh.
 */
public final class NicRatio {
    public static void main(String[] args) throws Exception {
        double loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(NicBenchmark.class.getName() + "\\.").build()).run();

        System.out.printf(Locale.ROOT, "%n== e1000 driver -> e1000 model -> virtual switch -> e1000 model -> e1000 driver,"
                + " vs DatagramChannel one way on 127.0.0.1, same run%n");
        System.out.printf(Locale.ROOT, "%d processors, load average %.2f before, %.2f after%n",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        System.out.printf("%-8s %20s %20s %15s   %s%n", "frame", "e1000 frames/s", "datagram frames/s",
                "e1000/datagram", "goal");
        for (String size : new String[] {"64", "1514"}) {
            double e = received(results, "e1000", size);
            double d = received(results, "datagram", size);
            System.out.printf(Locale.ROOT, "%-8s %20.0f %20.0f %14.2fx   %s%n", size + " B", e, d, e / d,
                    size.equals("64") ? ">= 5x" : "");
        }
        System.out.printf("%nbytes allocated per received frame (goal: 0 on the steady-state path)%n");
        System.out.printf("%-18s %10s %10s %14s %10s %8s%n", "", "sender", "receiver", "other driver", "emulator",
                "lost");
        for (String link : new String[] {"e1000", "datagram"}) {
            for (String size : new String[] {"64", "1514"}) {
                RunResult r = find(results, link, size);
                System.out.printf(Locale.ROOT, "%-18s %10.2f %10.2f %14.2f %10.2f %8.0f%n", link + " " + size + " B",
                        secondary(r, "allocSender"), secondary(r, "allocReceiver"), secondary(r, "allocDriver"),
                        secondary(r, "allocOther"), secondary(r, "lost"));
            }
        }
        System.out.println("(sender = the thread calling transmit/write; receiver = the receiving driver's worker or the"
                + " datagram thread; other driver = the sending port's worker (TX reclaim); emulator = every other"
                + " thread: the models' transmit threads, which also run the switch, and the interrupt thread;"
                + " lost = frames given up on per iteration)");
    }

    private static double received(Collection<RunResult> results, String link, String size) {
        return secondary(find(results, link, size), "received");
    }

    private static RunResult find(Collection<RunResult> results, String link, String size) {
        return results.stream()
                .filter(r -> link.equals(r.getParams().getParam("link")) && size.equals(r.getParams().getParam("size")))
                .findFirst().orElseThrow(() -> new IllegalStateException("no result for " + link + " " + size));
    }

    private static double secondary(RunResult r, String name) {
        Result<?> s = r.getSecondaryResults().get(name);
        return s == null ? Double.NaN : s.getScore();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
