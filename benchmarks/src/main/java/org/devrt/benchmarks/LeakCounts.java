package org.devrt.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import org.osgi.framework.BundleContext;

/**
 * What a leak would grow: installed bundles, registered services, live threads of the JVM and heap used after
 * System.gc(). Bundles, services and threads must come back exactly; the heap, which moves with the collector's
 * timing, is judged against {@link #HEAP_NOISE_KIB}. Counted by the endurance suite and the hot-plug leak check.
 */
public record LeakCounts(long bundles, long services, long threads, long heapKiB, List<String> threadNames) {
    /** Heap growth after GC up to this much is taken as noise: 8 MiB, 8 KiB a cycle over 1000 cycles. */
    public static final long HEAP_NOISE_KIB = 8 * 1024;

    public static LeakCounts of(BundleContext context) throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
        return new LeakCounts(context.getBundles().length, context.getAllServiceReferences(null, null).length,
                ManagementFactory.getThreadMXBean().getThreadCount(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 10, names);
    }

    /** The leaks from {@code before} to this, one phrase each; empty when none. */
    public List<String> leaksSince(LeakCounts before) {
        List<String> leaks = new ArrayList<>();
        if (bundles > before.bundles) {
            leaks.add((bundles - before.bundles) + " bundle(s)");
        }
        if (services > before.services) {
            leaks.add((services - before.services) + " service(s)");
        }
        if (threads > before.threads) {
            List<String> added = new ArrayList<>(threadNames);
            before.threadNames.forEach(added::remove);
            leaks.add((threads - before.threads) + " thread(s) " + added);
        }
        if (heapKiB - before.heapKiB > HEAP_NOISE_KIB) {
            leaks.add("heap +" + (heapKiB - before.heapKiB) + " KiB (more than the " + HEAP_NOISE_KIB + " KiB of noise allowed)");
        }
        return leaks;
    }

    /** A table of before, after and after settling, with growths, and the verdict. */
    public static String table(LeakCounts before, LeakCounts after, LeakCounts settled, long settleSeconds) {
        StringBuilder out = new StringBuilder(String.format("  %-26s %10s %10s %8s %12s %8s%n", "", "start", "end",
                "growth", "+" + settleSeconds + " s", "growth"));
        row(out, "bundles", before, after, settled, LeakCounts::bundles);
        row(out, "services", before, after, settled, LeakCounts::services);
        row(out, "live threads", before, after, settled, LeakCounts::threads);
        row(out, "heap used after GC (KiB)", before, after, settled, LeakCounts::heapKiB);
        List<String> leaks = settled.leaksSince(before);
        out.append("  leaks: ").append(leaks.isEmpty() ? "none (heap threshold " + HEAP_NOISE_KIB + " KiB)"
                : String.join("; ", leaks)).append('\n');
        return out.toString();
    }

    private static void row(StringBuilder out, String name, LeakCounts before, LeakCounts after, LeakCounts settled,
            ToLongFunction<LeakCounts> value) {
        long b = value.applyAsLong(before);
        long a = value.applyAsLong(after);
        long s = value.applyAsLong(settled);
        out.append(String.format("  %-26s %10d %10d %+8d %12d %+8d%n", name, b, a, a - b, s, s - b));
    }
}
