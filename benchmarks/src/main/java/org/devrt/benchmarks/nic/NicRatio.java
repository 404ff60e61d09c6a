package org.devrt.benchmarks.nic;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Issue 6's comparison, made for a shared, loaded machine: {@code -Drounds=N} rounds (default 3), each running
 * {@link NicBenchmark} for both links and both frame sizes (one fork each; e1000 first in even rounds, datagram
 * first in odd ones), so that each ratio compares rates measured a minute apart at most; prints each round, the
 * medians of the delivered rates and of the ratios e1000/datagram, and the bytes allocated per frame, against
 * issue 6's goals. Arguments are JMH's command-line options; without them a fork warms up 1 x 2 s and measures
 * 2 x 2 s. Usage: benchmarks/run-nic.sh, from the repository root.
 */
public final class NicRatio {
    static final String[] SIZES = {"64", "1514"};
    static final String[] LINKS = {"e1000", "datagram"};
    static final String[] ALLOCATION = {"allocSender", "allocReceiver", "allocDriver", "allocOther", "lost"};

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 3);
        CommandLineOptions cmd = new CommandLineOptions(args);
        double loadBefore = loadAverage();
        List<Map<String, Double>> done = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            OptionsBuilder options = new OptionsBuilder();
            options.parent(cmd).include(NicBenchmark.class.getName() + "\\.")
                    .param("link", round % 2 == 0 ? LINKS : new String[] {LINKS[1], LINKS[0]});
            // shorter forks than the annotations' unless the command line says otherwise: the rounds repeat them
            // the e1000 path's throughput still climbs over the first 4-6 s of a fork (JIT): 3 warm-up iterations
            options.warmupIterations(cmd.getWarmupIterations().orElse(3))
                    .warmupTime(cmd.getWarmupTime().orElse(TimeValue.seconds(2)))
                    .measurementIterations(cmd.getMeasurementIterations().orElse(3))
                    .measurementTime(cmd.getMeasurementTime().orElse(TimeValue.seconds(2)));
            Collection<RunResult> results = new Runner(options.build()).run();
            Map<String, Double> figures = new LinkedHashMap<>();
            for (RunResult r : results) {
                String key = r.getParams().getParam("link") + "/" + r.getParams().getParam("size");
                for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                    figures.put(key + "/" + e.getKey(), e.getValue().getScore());
                }
            }
            done.add(figures);
            loads.add(loadAverage());
        }

        System.out.printf(Locale.ROOT, "%n== e1000 driver -> e1000 model -> virtual switch -> e1000 model -> e1000 driver,"
                + " vs DatagramChannel one way on 127.0.0.1, %d rounds%n", rounds);
        System.out.printf(Locale.ROOT, "%d processors; load average %.2f before%n",
                Runtime.getRuntime().availableProcessors(), loadBefore);
        for (int i = 0; i < done.size(); i++) {
            Map<String, Double> f = done.get(i);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d (load %.2f after):", i + 1,
                    loads.get(i)));
            for (String size : SIZES) {
                double e = get(f, "e1000", size, "received");
                double d = get(f, "datagram", size, "received");
                line.append(String.format(Locale.ROOT, "  %s B %.0f/%.0f frames/s = %.2fx", size, e, d, e / d));
            }
            System.out.println(line);
        }
        System.out.printf("%nmedians of %d rounds, frames received per second%n%-8s %16s %18s %15s   %s%n", rounds,
                "frame", "e1000", "datagram", "e1000/datagram", "goal");
        for (String size : SIZES) {
            double e = median(done, f -> get(f, "e1000", size, "received"));
            double d = median(done, f -> get(f, "datagram", size, "received"));
            double ratio = median(done, f -> get(f, "e1000", size, "received") / get(f, "datagram", size, "received"));
            System.out.printf(Locale.ROOT, "%-8s %16.0f %18.0f %14.2fx   %s%n", size + " B", e, d, ratio,
                    size.equals("64") ? ">= 5x" : "");
        }
        System.out.printf("%nbytes allocated per received frame, medians (goal: 0 on the steady-state path)%n");
        System.out.printf("%-18s %10s %10s %14s %10s %8s%n", "", "sender", "receiver", "other driver", "emulator",
                "lost");
        for (String link : LINKS) {
            for (String size : SIZES) {
                double[] v = new double[ALLOCATION.length];
                for (int i = 0; i < v.length; i++) {
                    String name = ALLOCATION[i];
                    v[i] = median(done, f -> get(f, link, size, name));
                }
                System.out.printf(Locale.ROOT, "%-18s %10.2f %10.2f %14.2f %10.2f %8.0f%n", link + " " + size + " B",
                        v[0], v[1], v[2], v[3], v[4]);
            }
        }
        System.out.println("(sender = the thread calling transmit/write, which for e1000 also runs the sending model,"
                + " the switch and, when the receiving port is idle, its receive pass; receiver = the receiving"
                + " driver's worker or the datagram thread; other driver = the sending port's worker; emulator ="
                + " every other thread: the interrupt thread; lost = frames given up on per iteration)");
    }


    private static double get(Map<String, Double> figures, String link, String size, String name) {
        Double v = figures.get(link + "/" + size + "/" + name);
        return v == null ? Double.NaN : v;
    }

    private static double median(List<Map<String, Double>> rounds,
            java.util.function.ToDoubleFunction<Map<String, Double>> f) {
        double[] v = rounds.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
