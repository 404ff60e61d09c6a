package org.devrt.benchmarks.vfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link VfsBenchmark} (devrt and raw in this one run) and prints MB/s, files/s, the ratios devrt/raw with
 * issue 5's goals and the load average. Arguments are JMH's options (e.g. {@code -i 5}). Usage: benchmarks/run-vfs.sh.
 */
public final class VfsRatio {
    public static void main(String[] args) throws Exception {
        Path image = VfsBenchmark.imagePath();
        String loadBefore = load();
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(VfsBenchmark.class.getName() + "\\.")
                .jvmArgsPrepend("-Ddevrt.bench.vfs.image=" + image).build()).run();
        System.out.printf(Locale.ROOT, "%n== devrt VFS (FAT32 by devrt's mkfs, 1 GiB sparse image %s) vs raw FileChannel"
                + " on the same image, same run%n", image);
        System.out.printf(Locale.ROOT, "%d processors; load average before: %s; after: %s%n",
                Runtime.getRuntime().availableProcessors(), loadBefore, load());
        System.out.printf("%-24s %12s %12s %10s   %s%n", "", "devrt", "raw", "devrt/raw", "goal");
        double dr = mbps(results, "devrtRead"), rr = mbps(results, "rawRead");
        System.out.printf(Locale.ROOT, "%-24s %7.0f MB/s %7.0f MB/s %9.2fx   %s%n", "read 256 MiB", dr, rr, dr / rr,
                ">= 0.6x " + (dr / rr >= 0.6 ? "(met)" : "(NOT met)"));
        double dw = mbps(results, "devrtWrite"), rw = mbps(results, "rawWrite");
        System.out.printf(Locale.ROOT, "%-24s %7.0f MB/s %7.0f MB/s %9.2fx   %s%n", "write new 256 MiB + sync", dw, rw,
                dw / rw, ">= 0.5x " + (dw / rw >= 0.5 ? "(met)" : "(NOT met)"));
        double dow = mbps(results, "devrtOverwrite");
        System.out.printf(Locale.ROOT, "%-24s %7.0f MB/s %7.0f MB/s %9.2fx   %s%n", "overwrite in place + sync", dow,
                rw, dow / rw, ">= 0.5x " + (dow / rw >= 0.5 ? "(met)" : "(NOT met)"));
        double ms = ms(results, "smallFiles");
        System.out.printf(Locale.ROOT, "%-24s %7.0f files/s (%d files of %d bytes in one directory, + sync)%n",
                "create small files", VfsBenchmark.SMALL_FILES / (ms / 1000), VfsBenchmark.SMALL_FILES,
                VfsBenchmark.SMALL_FILE_BYTES);
    }

    static double ms(Collection<RunResult> results, String method) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("." + method)) {
                // the median single-shot time, ms: one slow iteration (a GC, the page cache) must not decide a ratio
                return r.getPrimaryResult().getStatistics().getPercentile(50);
            }
        }
        throw new IllegalStateException(method + " did not run (filtered out?)");
    }

    static double mbps(Collection<RunResult> results, String method) {
        return (VfsBenchmark.FILE_BYTES / 1e6) / (ms(results, method) / 1000);
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
