package org.devrt.benchmarks.block;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link BlockBenchmark} (devrt and raw, one fork each, in this one run), then {@code qemu-img bench} on the
 * same image if qemu-img is installed, and prints devrt's figures as ratios against their baselines with issue 4's
 * goals. Arguments are JMH's command-line options (e.g. {@code -i 5 -r 5s}); {@code -Dqemu.count=N} changes the
 * number of qemu-img requests (default 200000). Usage: benchmarks/run-block.sh, from the repository root.
 */
public final class BlockRatio {
    static final String QEMU_COUNT = System.getProperty("qemu.count", "200000");

    public static void main(String[] args) throws Exception {
        Path image = DiskImage.prepare(); // before the forks, so that no fork's first iteration pays for the fill
        double loadBefore = loadAverage();
        List<String> jvmArgs = new ArrayList<>(List.of("-Ddevrt.bench.image=" + image,
                "-Ddevrt.bench.image.size=" + DiskImage.size()));
        if (System.getProperty("devrt.bench.ahci") != null) {
            jvmArgs.add("-Ddevrt.bench.ahci=" + System.getProperty("devrt.bench.ahci"));
        }
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(BlockBenchmark.class.getName() + "\\.")
                .jvmArgsPrepend(jvmArgs.toArray(String[]::new)).build()).run();
        double loadAfterJmh = loadAverage();
        Qemu qemu = qemuBench(image);

        System.out.printf(Locale.ROOT, "%n== devrt block device (AHCI driver on the emulated machine) vs raw FileChannel,"
                + " same image %s, same run%n", image);
        System.out.printf(Locale.ROOT, "%d processors, load average %.2f before, %.2f after JMH, %.2f after qemu-img%n",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfterJmh, loadAverage());
        System.out.printf("%-26s %18s %18s %10s   %s%n", "", "devrt", "raw", "devrt/raw", "goal");
        Result<?> dr = score(results, "seqRead1M", "devrt");
        Result<?> rr = score(results, "seqRead1M", "raw");
        line("sequential read 1 MiB", mb(dr), mb(rr), "MB/s", mb(dr) / mb(rr), ">= 0.8x raw");
        Result<?> dw = score(results, "seqWrite1M", "devrt");
        Result<?> rw = score(results, "seqWrite1M", "raw");
        line("sequential write 1 MiB", mb(dw), mb(rw), "MB/s", mb(dw) / mb(rw), "");
        Result<?> d1 = score(results, "randRead4kQD1", "devrt");
        Result<?> r1 = score(results, "randRead4kQD1", "raw");
        line("random read 4 KiB QD1", d1.getScore(), r1.getScore(), "us", d1.getScore() / r1.getScore(),
                "latency <= 3x raw");
        Result<?> d32 = score(results, "randRead4kQD32", "devrt");
        Result<?> r32 = score(results, "randRead4kQD32", "raw");
        line("random read 4 KiB QD32", d32.getScore(), r32.getScore(), "IOPS", d32.getScore() / r32.getScore(), "");
        if (qemu != null) {
            System.out.printf(Locale.ROOT, "qemu-img bench: %s%n  %s%n  -> %.0f IOPS (median of %d runs: %s)%n",
                    qemu.command, qemu.output, qemu.iops, qemu.runs.length, Arrays.toString(qemu.runs));
            System.out.printf(Locale.ROOT, "random read 4 KiB QD32, devrt / qemu-img bench: %.0f / %.0f = %.2f"
                    + "   goal >= 1%n", d32.getScore(), qemu.iops, d32.getScore() / qemu.iops);
        } else {
            System.out.println("qemu-img not found: no qemu-img bench comparison (apt-get install qemu-utils)");
        }
    }

    private static Result<?> score(Collection<RunResult> results, String method, String target) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method)
                        && target.equals(r.getParams().getParam("target")))
                .findFirst().orElseThrow(() -> new IllegalStateException("no result for " + method + " " + target))
                .getPrimaryResult();
    }

    /** 1 MiB per operation: MB/s (10^6 bytes). */
    private static double mb(Result<?> opsPerSecond) {
        return opsPerSecond.getScore() * DiskImage.MIB / 1e6;
    }

    private static void line(String what, double devrt, double raw, String unit, double ratio, String goal) {
        System.out.printf(Locale.ROOT, "%-26s %13.1f %-4s %13.1f %-4s %9.2fx   %s%n", what, devrt, unit, raw, unit,
                ratio, goal);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    record Qemu(String command, String output, double iops, double[] runs) {
    }

    /** qemu-img bench as issue 4 asks (writeback cache, depth 64, 4 KiB reads), three times; null without qemu-img. */
    static Qemu qemuBench(Path image) throws IOException, InterruptedException {
        List<String> command = List.of("qemu-img", "bench", "-f", "raw", "-c", QEMU_COUNT, "-d", "64", "-s", "4096",
                "-t", "writeback", image.toString());
        double[] runs = new double[3];
        String output = "";
        for (int i = 0; i < runs.length; i++) {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException notInstalled) {
                return null;
            }
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
            Matcher m = Pattern.compile("Run completed in ([0-9.]+) seconds").matcher(output);
            if (!m.find()) {
                throw new IOException("unexpected output of qemu-img bench: " + output);
            }
            runs[i] = Math.round(Long.parseLong(QEMU_COUNT) / Double.parseDouble(m.group(1)));
        }
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        return new Qemu(String.join(" ", command), output.replace('\n', ' '), sorted[1], runs);
    }
}
