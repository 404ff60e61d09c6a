package org.devrt.benchmarks.block;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Issue 4's comparison, made for a shared, loaded machine: {@code -Drounds=N} rounds (default 3), each running
 * every {@link BlockBenchmark} for both targets (one fork each; devrt first in even rounds, raw first in odd ones)
 * and then {@code qemu-img bench} once on the same image, so that each ratio compares figures measured minutes
 * apart at most; prints each round and the medians, with issue 4's goals. Arguments are JMH's command-line options;
 * without them a fork warms up 1 x 2 s and measures 2 x 2 s. {@code -Dqemu.count=N} sets the number of qemu-img
 * requests (default 200000). Usage: benchmarks/run-block.sh, from the repository root.
 */
public final class BlockRatio {
    static final String QEMU_COUNT = System.getProperty("qemu.count", "200000");
    static final String[] METHODS = {"seqRead1M", "seqWrite1M", "randRead4kQD1", "randRead4kQD32"};

    /** What a round measured: score by method and target, qemu-img's IOPS, the load average after it. */
    record Round(Map<String, Double> scores, double qemuIops, double load) {
        double get(String method, String target) {
            Double v = scores.get(method + "/" + target);
            if (v == null) {
                throw new IllegalStateException("no result for " + method + " " + target);
            }
            return v;
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 3);
        Path image = DiskImage.prepare(); // before the forks, so that no fork's first iteration pays for the fill
        CommandLineOptions cmd = new CommandLineOptions(args);
        List<String> jvmArgs = new ArrayList<>(List.of("-Ddevrt.bench.image=" + image,
                "-Ddevrt.bench.image.size=" + DiskImage.size()));
        if (System.getProperty("devrt.bench.ahci") != null) {
            jvmArgs.add("-Ddevrt.bench.ahci=" + System.getProperty("devrt.bench.ahci"));
        }
        double loadBefore = loadAverage();
        String qemuCommand = null;
        String qemuOutput = null;
        List<Round> done = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            OptionsBuilder options = new OptionsBuilder();
            options.parent(cmd).include(BlockBenchmark.class.getName() + "\\.")
                    .jvmArgsPrepend(jvmArgs.toArray(String[]::new))
                    .param("target", round % 2 == 0 ? new String[] {"devrt", "raw"} : new String[] {"raw", "devrt"});
            // shorter forks than the annotations' unless the command line says otherwise: the rounds repeat them
            options.warmupIterations(cmd.getWarmupIterations().orElse(1))
                    .warmupTime(cmd.getWarmupTime().orElse(TimeValue.seconds(2)))
                    .measurementIterations(cmd.getMeasurementIterations().orElse(2))
                    .measurementTime(cmd.getMeasurementTime().orElse(TimeValue.seconds(2)));
            Collection<RunResult> results = new Runner(options.build()).run();
            Map<String, Double> scores = new LinkedHashMap<>();
            for (RunResult r : results) {
                String benchmark = r.getParams().getBenchmark();
                scores.put(benchmark.substring(benchmark.lastIndexOf('.') + 1) + "/" + r.getParams().getParam("target"),
                        r.getPrimaryResult().getScore());
            }
            String[] qemu = qemuBench(image);
            double iops = Double.NaN;
            if (qemu != null) {
                qemuCommand = qemu[0];
                qemuOutput = qemu[1];
                iops = Double.parseDouble(qemu[2]);
            }
            done.add(new Round(scores, iops, loadAverage()));
        }

        System.out.printf(Locale.ROOT, "%n== devrt block device (AHCI driver on the emulated machine) vs raw FileChannel,"
                + " same image %s, %d rounds%n", image, rounds);
        System.out.printf(Locale.ROOT, "%d processors; load average %.2f before%n",
                Runtime.getRuntime().availableProcessors(), loadBefore);
        for (int i = 0; i < done.size(); i++) {
            Round r = done.get(i);
            System.out.printf(Locale.ROOT, "round %d (load %.2f after): seq read %.0f/%.0f MB/s = %.2fx, seq write %.0f/%.0f"
                    + " MB/s = %.2fx, QD1 %.1f/%.1f us = %.1fx, QD32 %.0f/%.0f IOPS = %.3fx, qemu-img %.0f IOPS,"
                    + " QD32/qemu-img %.2fx%n", i + 1, r.load(),
                    mb(r.get("seqRead1M", "devrt")), mb(r.get("seqRead1M", "raw")), ratio(r, "seqRead1M"),
                    mb(r.get("seqWrite1M", "devrt")), mb(r.get("seqWrite1M", "raw")), ratio(r, "seqWrite1M"),
                    r.get("randRead4kQD1", "devrt"), r.get("randRead4kQD1", "raw"), ratio(r, "randRead4kQD1"),
                    r.get("randRead4kQD32", "devrt"), r.get("randRead4kQD32", "raw"), ratio(r, "randRead4kQD32"),
                    r.qemuIops(), r.get("randRead4kQD32", "devrt") / r.qemuIops());
        }
        System.out.printf("%nmedians of %d rounds%n%-24s %16s %16s %11s   %s%n", rounds, "", "devrt", "raw",
                "devrt/raw", "goal");
        line(done, "sequential read 1 MiB", "seqRead1M", "MB/s", ">= 0.8x raw");
        line(done, "sequential write 1 MiB", "seqWrite1M", "MB/s", "");
        line(done, "random read 4 KiB QD1", "randRead4kQD1", "us", "latency <= 3x raw");
        line(done, "random read 4 KiB QD32", "randRead4kQD32", "IOPS", "");
        if (qemuCommand != null) {
            double qemu = median(done.stream().mapToDouble(Round::qemuIops).toArray());
            double devrt = median(done.stream().mapToDouble(r -> r.get("randRead4kQD32", "devrt")).toArray());
            double ratio = median(done.stream().mapToDouble(r -> r.get("randRead4kQD32", "devrt") / r.qemuIops())
                    .toArray());
            System.out.printf(Locale.ROOT, "qemu-img bench: %s%n  (last output: %s)%n  median %.0f IOPS%n", qemuCommand,
                    qemuOutput, qemu);
            System.out.printf(Locale.ROOT, "random read 4 KiB QD32, devrt vs qemu-img bench: %.0f vs %.0f IOPS, median"
                    + " ratio %.2fx   goal >= 1x%n", devrt, qemu, ratio);
        } else {
            System.out.println("qemu-img not found: no qemu-img bench comparison (apt-get install qemu-utils)");
        }
    }


    private static double ratio(Round r, String method) {
        return r.get(method, "devrt") / r.get(method, "raw");
    }

    private static void line(List<Round> rounds, String what, String method, String unit, String goal) {
        boolean mb = method.startsWith("seq");
        double devrt = median(rounds.stream().mapToDouble(r -> scale(r.get(method, "devrt"), mb)).toArray());
        double raw = median(rounds.stream().mapToDouble(r -> scale(r.get(method, "raw"), mb)).toArray());
        double ratio = median(rounds.stream().mapToDouble(r -> ratio(r, method)).toArray());
        System.out.printf(Locale.ROOT, "%-24s %11.1f %-4s %11.1f %-4s %10.3fx   %s%n", what, devrt, unit, raw, unit,
                ratio, goal);
    }

    private static double scale(double score, boolean mb) {
        return mb ? mb(score) : score;
    }

    /** 1 MiB per operation: MB/s (10^6 bytes). */
    private static double mb(double opsPerSecond) {
        return opsPerSecond * DiskImage.MIB / 1e6;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * qemu-img bench as issue 4 asks (raw image, writeback cache, depth 64, 4 KiB reads; qemu-img bench only
     * reads sequentially): command, output, IOPS; null without qemu-img.
     */
    static String[] qemuBench(Path image) throws IOException, InterruptedException {
        List<String> command = List.of("qemu-img", "bench", "-f", "raw", "-c", QEMU_COUNT, "-d", "64", "-s", "4096",
                "-t", "writeback", image.toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return null;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        Matcher m = Pattern.compile("Run completed in ([0-9.]+) seconds").matcher(output);
        if (!m.find()) {
            throw new IOException("unexpected output of qemu-img bench: " + output);
        }
        double iops = Long.parseLong(QEMU_COUNT) / Double.parseDouble(m.group(1));
        return new String[] {String.join(" ", command), output.replace('\n', ' '), Double.toString(iops)};
    }
}
