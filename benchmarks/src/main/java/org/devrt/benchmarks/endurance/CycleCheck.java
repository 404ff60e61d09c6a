package org.devrt.benchmarks.endurance;

import java.util.Arrays;
import java.util.List;

import org.devrt.benchmarks.LeakCounts;

/**
 * Runs one kind of cycle many times between two leak counts: {@value #WARM_UP} warm-up cycles (fewer when fewer
 * cycles are asked for; classes loaded,
 * caches filled), the start count, the cycles, the end count, and a count after {@value #SETTLE_SECONDS} s, once
 * the device manager's attach time-outs (10 s) have run out.
 */
final class CycleCheck {
    static final int WARM_UP = 20;
    static final long SETTLE_SECONDS = 12;

    /** One cycle; it returns only once the runtime is back where it started. */
    interface Cycle {
        void run() throws Exception;
    }

    /** What one check found. */
    record Result(String title, int cycles, double seconds, double medianMillis, LeakCounts start, LeakCounts end,
            LeakCounts settled) {
        List<String> leaks() {
            return settled.leaksSince(start);
        }

        String text() {
            return String.format("%s: %d cycles in %.1f s (median cycle %.2f ms)%n", title, cycles, seconds, medianMillis)
                    + LeakCounts.table(start, end, settled, SETTLE_SECONDS);
        }
    }

    private CycleCheck() {
    }

    static Result run(EnduranceRig rig, String title, int cycles, Cycle cycle) throws Exception {
        int warmUp = Math.min(WARM_UP, cycles);
        System.out.printf("%s: %d warm-up cycles, then %d%n", title, warmUp, cycles);
        for (int i = 0; i < warmUp; i++) {
            cycle.run();
        }
        LeakCounts start = LeakCounts.of(rig.context());
        long[] nanos = new long[cycles];
        long t0 = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            long t = System.nanoTime();
            cycle.run();
            nanos[i] = System.nanoTime() - t;
            if ((i + 1) % 100 == 0) {
                System.out.printf("  %d cycles%n", i + 1);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        LeakCounts end = LeakCounts.of(rig.context());
        Thread.sleep(SETTLE_SECONDS * 1000);
        LeakCounts settled = LeakCounts.of(rig.context());
        Arrays.sort(nanos);
        Result r = new Result(title, cycles, seconds, cycles == 0 ? 0 : nanos[cycles / 2] / 1e6, start, end, settled);
        System.out.print(r.text());
        return r;
    }

    /** Uninstall the function's driver, see its device go; install and start it, see the device come back. */
    static Cycle driverCycle(EnduranceRig rig, Function f) {
        return () -> {
            rig.uninstallDriver(f.driverBsn());
            rig.awaitDevice(f, false);
            rig.installDriver(f.driverBsn());
            rig.awaitDevice(f, true);
        };
    }

    /** Unplug the function, see its device go; plug it again, see the device come back. */
    static Cycle plugCycle(EnduranceRig rig, Function f) {
        return () -> {
            rig.unplug(f);
            rig.awaitDevice(f, false);
            rig.plug(f);
            rig.awaitDevice(f, true);
        };
    }
}
