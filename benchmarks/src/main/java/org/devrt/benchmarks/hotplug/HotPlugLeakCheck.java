package org.devrt.benchmarks.hotplug;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.devrt.benchmarks.LeakCounts;

/**
 * Plug/unplug cycles (default 1000, after 20 warm-up cycles) with the driver installed and, separately, with
 * the device manager installing and uninstalling it at every cycle; counts of bundles, services, live threads
 * and heap used after System.gc() before and after, and again once the device manager's per-attach time-outs
 * (attachTimeoutMillis, 10 s) have run out. The goal is no growth. Writes a text report (default
 * benchmarks/target/hotplug-leak-check.txt) and prints it.
 *
 * <p>Usage: {@code HotPlugLeakCheck [cycles [report file]]}, from the repository root (see run-hotplug.sh).
 */
public final class HotPlugLeakCheck {
    private static final int WARM_UP = 20;
    private static final long SETTLE_MILLIS = 12_000;

    /** What is counted, and the emulated machine's description (its functions and free DMA memory). */
    record Counts(LeakCounts leaks, String machine) {
    }

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path report = Path.of(args.length > 1 ? args[1] : "benchmarks/target/hotplug-leak-check.txt");
        StringBuilder out = new StringBuilder(String.format(
                "devrt hot-plug leak check: %d plug/unplug cycles per case, after %d warm-up cycles%n"
                        + "java %s, %d processors, load average %.1f at the start%n",
                cycles, WARM_UP, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                HotPlugRun.loadAverage()));
        out.append(check("driver installed (driverGraceSeconds 3600)", 3600, cycles));
        out.append(check("driver installed by the manager at each plug, uninstalled after each unplug"
                + " (driverGraceSeconds 0)", 0, cycles));
        out.append(String.format("%nload average %.1f at the end%n", HotPlugRun.loadAverage()));
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, out);
        System.out.print(out);
        System.out.println("written to " + report);
    }

    private static String check(String title, long graceSeconds, int cycles) throws Exception {
        try (HotPlugRig rig = HotPlugRig.withManager(graceSeconds)) {
            for (int i = 0; i < WARM_UP; i++) {
                cycle(rig);
            }
            Counts before = counts(rig);
            long[] nanos = new long[cycles];
            long start = System.nanoTime();
            for (int i = 0; i < cycles; i++) {
                long t = System.nanoTime();
                cycle(rig);
                nanos[i] = System.nanoTime() - t;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Counts after = counts(rig);
            Thread.sleep(SETTLE_MILLIS);
            Counts settled = counts(rig);
            Arrays.sort(nanos);
            StringBuilder out = new StringBuilder(String.format("%n%s: %d cycles in %.1f s (median cycle %.2f ms)%n",
                    title, cycles, seconds, nanos[cycles / 2] / 1e6));
            out.append(LeakCounts.table(before.leaks(), after.leaks(), settled.leaks(), SETTLE_MILLIS / 1000));
            List<String> newThreads = new ArrayList<>(settled.leaks().threadNames());
            before.leaks().threadNames().forEach(newThreads::remove);
            out.append("threads not there before: ").append(newThreads.isEmpty() ? "none" : newThreads).append('\n');
            out.append("emulated machine before: ").append(before.machine()).append('\n');
            out.append("emulated machine after:  ").append(settled.machine()).append('\n');
            return out.toString();
        }
    }

    private static void cycle(HotPlugRig rig) throws Exception {
        rig.plugAndAwaitAttached();
        rig.unplugAndSettle();
    }

    private static Counts counts(HotPlugRig rig) throws Exception {
        return new Counts(LeakCounts.of(rig.context()), rig.machineDescription());
    }
}
