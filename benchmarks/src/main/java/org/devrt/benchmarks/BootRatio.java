package org.devrt.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * devrt's boot time as a ratio against a bare Felix + SCR + Gogo boot on the same JVM, measured in the
 * same run. The two boots alternate (bare first in even rounds, devrt first in odd ones), so that the
 * noise of a shared machine falls on both alike; medians and minima, not means. Besides the wall time
 * to the shell's answer it reports the child JVM's CPU time up to then, which other load disturbs less.
 *
 * <p>With {@code --restart} each runtime boots in one folder throughout, on the state its first, unmeasured start
 * left there (framework storage; devrt's disk image, already formatted, and its driver bundles, already
 * installed): what a person sees each time after the first start.
 *
 * <p>Usage: {@code BootRatio [--restart] [rounds [warm-up rounds]]}, from the repository root (see run-boot.sh).
 */
public final class BootRatio {
    /** One boot, in milliseconds. */
    record Sample(double wall, double cpu) {
    }

    public static void main(String[] args) throws Exception {
        List<String> numbers = new ArrayList<>(Arrays.asList(args));
        boolean restart = numbers.remove("--restart");
        int rounds = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : 15;
        int warmups = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : 2;
        Runner bareRunner = Runner.of(Launch.of("bare"), restart);
        Runner devrtRunner = Runner.of(Launch.of("devrt"), restart);
        System.out.printf("java %s (%s), %d processors, load average %.1f; %s: %d rounds after %d warm-up rounds%n",
                System.getProperty("java.version"), ProcessHandle.current().info().command().orElse("?"),
                Runtime.getRuntime().availableProcessors(), loadAverage(),
                restart ? "restarts on kept state" : "first starts", rounds, warmups);

        List<Sample> bare = new ArrayList<>();
        List<Sample> devrt = new ArrayList<>();
        for (int round = -warmups; round < rounds; round++) {
            Sample b;
            Sample d;
            if (round % 2 == 0) {
                b = boot(bareRunner);
                d = boot(devrtRunner);
            } else {
                d = boot(devrtRunner);
                b = boot(bareRunner);
            }
            System.out.printf("%-9s bare %5.0f ms (cpu %5.0f)   devrt %5.0f ms (cpu %5.0f)   devrt/bare %.2f%n",
                    round < 0 ? "warm-up" : "round " + (round + 1), b.wall(), b.cpu(), d.wall(), d.cpu(),
                    d.wall() / b.wall());
            if (round >= 0) {
                bare.add(b);
                devrt.add(d);
            }
        }

        System.out.printf("%nload average %.1f%n%-6s %14s %10s %14s %10s%n",
                loadAverage(), "", "wall: median", "min", "cpu: median", "min");
        summary("bare", bare);
        summary("devrt", devrt);
        ratio("wall", bare, devrt, Sample::wall);
        ratio("cpu", bare, devrt, Sample::cpu);
    }

    /** Of the last minute: how much else the machine was doing. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** A runtime to boot again and again: each time a first start in a new folder, or a restart in one folder. */
    private record Runner(Launch launch, Path folder) {
        static Runner of(Launch launch, boolean restart) throws Exception {
            if (!restart) {
                return new Runner(launch, null);
            }
            Launch kept = launch.keepingState();
            Path folder = kept.newWorkingFolder();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Launch.deleteTree(folder)));
            try (Boot first = Boot.in(kept, folder)) {
                first.awaitShell(); // the first start, not measured: it makes the state the restarts find
            }
            return new Runner(kept, folder);
        }

        Boot boot() throws Exception {
            return folder == null ? Boot.start(launch) : Boot.in(launch, folder);
        }
    }

    private static Sample boot(Runner runner) throws Exception {
        return measure(runner.boot());
    }

    /** A first start of {@code launch}, in a new folder. */
    static Sample boot(Launch launch) throws Exception {
        return measure(Boot.start(launch));
    }

    private static Sample measure(Boot started) throws Exception {
        try (Boot boot = started) {
            double wall = boot.awaitShell() / 1e6;
            return new Sample(wall, boot.cpuAtShell().toNanos() / 1e6);
        }
    }

    private static void summary(String name, List<Sample> samples) {
        double[] wall = values(samples, Sample::wall);
        double[] cpu = values(samples, Sample::cpu);
        System.out.printf("%-6s %11.0f ms %7.0f ms %11.0f ms %7.0f ms%n",
                name, median(wall), min(wall), median(cpu), min(cpu));
    }

    private static void ratio(String what, List<Sample> bare, List<Sample> devrt, ToDoubleFunction<Sample> f) {
        double[] b = values(bare, f);
        double[] d = values(devrt, f);
        double[] perRound = IntStream.range(0, b.length).mapToDouble(i -> d[i] / b[i]).toArray();
        System.out.printf("devrt/bare %-4s %.2f (ratio of medians), %.2f (of minima), %.2f (median of the rounds' ratios)%n",
                what, median(d) / median(b), min(d) / min(b), median(perRound));
    }

    private static double[] values(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return samples.stream().mapToDouble(f).toArray();
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }
}
