package org.devrt.benchmarks.hotplug;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link HotPlugBenchmark} (JMH's own options may be given, e.g. {@code -i 10}) and prints its medians
 * against the goals and as ratios to the bare install+start baseline measured in the same run, with the load
 * average before and after. From the repository root, by run-hotplug.sh.
 */
public final class HotPlugRun {
    private static final Map<String, Double> GOALS_MS = Map.of("notInstalled", 50.0, "installed", 5.0);

    public static void main(String[] args) throws Exception {
        double loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(HotPlugBenchmark.class.getName() + "\\.").build()).run();

        Map<String, Statistics> byCase = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String driver = r.getParams().getParam("driver");
            byCase.put(driver == null ? name : driver, r.getPrimaryResult().getStatistics());
        }
        Statistics bare = byCase.get("bareInstallAndStart");
        System.out.printf("%nHot plug to driver attached (ms; %d processors, load average %.1f before, %.1f after)%n",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        System.out.printf("%-22s %8s %8s %8s %8s %7s  %s%n", "case", "samples", "median", "p90", "min", "/bare", "goal");
        byCase.forEach((name, s) -> {
            double median = s.getPercentile(50);
            Double goal = GOALS_MS.get(name);
            System.out.printf("%-22s %8d %8.3f %8.3f %8.3f %7s  %s%n", name, s.getN(), median, s.getPercentile(90),
                    s.getMin(), bare == null ? "-" : String.format("%.2f", median / bare.getPercentile(50)),
                    goal == null ? "(baseline)" : (median < goal ? "met" : "MISSED") + ": median under " + goal + " ms");
        });
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
