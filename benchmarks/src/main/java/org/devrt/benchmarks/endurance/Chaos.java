package org.devrt.benchmarks.endurance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * At random intervals ({@value #MIN_GAP_MILLIS}-{@value #MAX_GAP_MILLIS} ms) takes a random driver or device away and
 * gives it back: uninstalls a driver bundle and installs it again, unplugs a function and plugs it again, or pulls
 * a disk out of its SATA port and connects it again (the shell's {@code machine <address> pull|connect 0}, the
 * controller staying), with a random pause ({@value #MAX_AWAY_MILLIS} ms at most) between; then waits for the
 * device services (and the disk's volume) to be back before the next action. A removal or restore that fails is recorded, what was taken away is
 * given back, and the chaos goes on.
 */
final class Chaos implements Runnable {
    static final long MIN_GAP_MILLIS = 1000;
    static final long MAX_GAP_MILLIS = 6000;
    static final long MAX_AWAY_MILLIS = 1500;

    /** One kind of action: how often, and the longest time from giving back to the device being there again. */
    static final class Tally {
        int count;
        long maxRestoreMillis;
        long totalRestoreMillis;
    }

    private final EnduranceRig rig;
    private final List<Function> functions;
    private volatile boolean running = true;
    final Map<String, Tally> tallies = new TreeMap<>();
    final List<String> failures = new ArrayList<>();

    Chaos(EnduranceRig rig, List<Function> functions) {
        this.rig = rig;
        this.functions = functions;
    }

    @Override
    public void run() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<String> drivers = functions.stream().map(Function::driverBsn).distinct().toList();
        List<Function> disks = functions.stream().filter(f -> f.serviceType().equals("block")).toList();
        while (running) {
            sleep(random.nextLong(MIN_GAP_MILLIS, MAX_GAP_MILLIS + 1));
            if (!running) {
                return;
            }
            int pick = random.nextInt(drivers.size() + functions.size() + disks.size());
            long away = random.nextLong(MAX_AWAY_MILLIS + 1);
            if (pick < drivers.size()) {
                reinstall(drivers.get(pick), away);
            } else if (pick < drivers.size() + functions.size()) {
                replug(functions.get(pick - drivers.size()), away);
            } else {
                repull(disks.get(pick - drivers.size() - functions.size()), away);
            }
        }
    }

    /** The disk of port 0 pulled out and connected again from the shell; the controller stays bound. */
    private void repull(Function f, long awayMillis) {
        String action = "pull + connect the disk of " + f.name();
        try {
            expect(rig.shell("machine " + f.slot() + " pull 0"), "pulled the disk out of port 0");
            rig.awaitDevice(f, false);
            sleep(awayMillis);
            long t = System.nanoTime();
            expect(rig.shell("machine " + f.slot() + " connect 0"), "connected the disk of port 0");
            rig.awaitDevice(f, true);
            tally(action, t);
        } catch (Exception e) {
            fail(action, e);
            try {
                rig.shell("machine " + f.slot() + " connect 0"); // "connected already" when the failure came after
            } catch (Exception again) {
                fail("connect the disk of " + f.name() + " after the failure", again);
            }
        }
    }

    private static void expect(String answer, String wanted) {
        if (!answer.contains(wanted)) {
            throw new IllegalStateException("the shell answered '" + answer.strip() + "', not '" + wanted + "'");
        }
    }

    private void reinstall(String bsn, long awayMillis) {
        List<Function> driven = functions.stream().filter(f -> f.driverBsn().equals(bsn)).toList();
        String action = "uninstall + install " + bsn;
        try {
            rig.uninstallDriver(bsn);
            for (Function f : driven) {
                rig.awaitDevice(f, false);
            }
            sleep(awayMillis);
            long t = System.nanoTime();
            rig.installDriver(bsn);
            for (Function f : driven) {
                rig.awaitDevice(f, true);
            }
            tally(action, t);
        } catch (Exception e) {
            fail(action, e);
            if (rig.bundles(bsn).isEmpty()) {
                try {
                    rig.installDriver(bsn);
                } catch (Exception again) {
                    fail("install " + bsn + " after the failure", again);
                }
            }
        }
    }

    private void replug(Function f, long awayMillis) {
        String action = "unplug + plug " + f.name();
        try {
            rig.unplug(f);
            rig.awaitDevice(f, false);
            sleep(awayMillis);
            long t = System.nanoTime();
            rig.plug(f);
            rig.awaitDevice(f, true);
            tally(action, t);
        } catch (Exception e) {
            fail(action, e);
            try {
                rig.plug(f);
            } catch (IllegalArgumentException stillPlugged) {
                // the failure came after the plug
            } catch (Exception again) {
                fail("plug " + f.name() + " after the failure", again);
            }
        }
    }

    private synchronized void tally(String action, long restoreStart) {
        long millis = (System.nanoTime() - restoreStart) / 1_000_000;
        Tally t = tallies.computeIfAbsent(action, k -> new Tally());
        t.count++;
        t.totalRestoreMillis += millis;
        t.maxRestoreMillis = Math.max(t.maxRestoreMillis, millis);
    }

    private synchronized void fail(String action, Exception e) {
        failures.add(action + ": " + e);
        System.err.println("chaos: " + action + " failed: " + e);
    }

    synchronized int actions() {
        return tallies.values().stream().mapToInt(t -> t.count).sum();
    }

    synchronized String text() {
        StringBuilder out = new StringBuilder();
        tallies.forEach((action, t) -> out.append(String.format("  %-48s %5d  back after %d ms on average, %d ms at most%n",
                action, t.count, t.totalRestoreMillis / t.count, t.maxRestoreMillis)));
        if (failures.isEmpty()) {
            out.append("  failed actions: none\n");
        } else {
            out.append("  FAILED actions: ").append(failures.size()).append('\n');
            failures.forEach(f -> out.append("    ").append(f.replace("\n", "\n      ")).append('\n'));
        }
        return out.toString();
    }

    void stop() {
        running = false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
