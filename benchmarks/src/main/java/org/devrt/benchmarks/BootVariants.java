package org.devrt.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * First starts of several runtimes in one run, each as a ratio to the bare Felix + SCR + Gogo boot of the same run:
 * the way to tell whether a change to how devrt is built or launched moves its boot (a run.jar built another way, a
 * JVM option), against the noise of a shared machine. The runtimes take turns, in an order that rotates each round.
 * Medians of wall and CPU time to the shell's answer, as {@link BootRatio}.
 *
 * <p>Usage: {@code BootVariants rounds variant...}, from the repository root (run-boot.sh --variants). A variant is
 * {@code devrt}, {@code bare}, or the path of a run.jar, each optionally followed by {@code @} and JVM options
 * separated by commas: {@code devrt@-XX:TieredStopAtLevel=1}, {@code bare@-XX:SharedArchiveFile=bare.jsa},
 * {@code /tmp/other-run.jar}. A run.jar given by path boots as devrt does (conf/, etc/, the driver repository) and
 * is used where it is, not copied, so that a class-data archive made with it stays valid.
 */
public final class BootVariants {
    private BootVariants() {
    }

    public static void main(String[] args) throws Exception {
        String usage = "usage: run-boot.sh --variants rounds variant... (variant: devrt | bare | path/to/run.jar,"
                + " each optionally @jvm-option,jvm-option...)";
        if (args.length < 2 || !args[0].matches("[1-9][0-9]*")) {
            System.err.println(usage);
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        Launch bare = Launch.of("bare");
        Launch devrt = Launch.of("devrt");
        List<String> names = new ArrayList<>(List.of("bare (baseline)"));
        List<Launch> launches = new ArrayList<>(List.of(bare));
        for (String spec : Arrays.copyOfRange(args, 1, args.length)) {
            names.add(spec);
            try {
                launches.add(variant(spec, bare, devrt));
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage() + "\n" + usage);
                System.exit(2);
            }
        }
        List<List<BootRatio.Sample>> samples = new ArrayList<>();
        launches.forEach(l -> samples.add(new ArrayList<>()));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < launches.size(); i++) {
            order.add(i);
        }
        for (int round = -1; round < rounds; round++) { // round -1 warms the disk cache and is not counted
            Collections.rotate(order, 1);
            StringBuilder line = new StringBuilder(round < 0 ? "warm-up" : "round " + (round + 1));
            for (int i : order) {
                BootRatio.Sample s = BootRatio.boot(launches.get(i));
                line.append(String.format("   %d: %5.0f ms", i, s.wall()));
                if (round >= 0) {
                    samples.get(i).add(s);
                }
            }
            System.out.println(line);
        }
        double bareWall = BootRatio.median(wall(samples.get(0)));
        double bareCpu = BootRatio.median(cpu(samples.get(0)));
        System.out.printf("%n%-3s %-60s %10s %6s %10s %6s%n", "", "runtime", "wall", "/bare", "cpu", "/bare");
        for (int i = 0; i < launches.size(); i++) {
            double w = BootRatio.median(wall(samples.get(i)));
            double c = BootRatio.median(cpu(samples.get(i)));
            System.out.printf("%-3d %-60s %7.0f ms %6.2f %7.0f ms %6.2f%n", i, names.get(i), w, w / bareWall, c,
                    c / bareCpu);
        }
    }

    private static Launch variant(String spec, Launch bare, Launch devrt) {
        int at = spec.indexOf('@');
        String what = at < 0 ? spec : spec.substring(0, at);
        List<String> options = at < 0 ? List.of() : List.of(spec.substring(at + 1).split(","));
        Launch base = switch (what) {
            case "bare" -> bare;
            case "devrt" -> devrt;
            default -> {
                Path jar = Path.of(what).toAbsolutePath();
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException("not devrt, bare or a run.jar: " + spec + " (" + jar
                            + " does not exist)");
                }
                yield new Launch(what, jar, devrt.home(), devrt.jvmOptions());
            }
        };
        return new Launch(base.name(), base.jar(), base.home(),
                Stream.concat(base.jvmOptions().stream(), options.stream()).toList());
    }

    private static double[] wall(List<BootRatio.Sample> samples) {
        return samples.stream().mapToDouble(BootRatio.Sample::wall).toArray();
    }

    private static double[] cpu(List<BootRatio.Sample> samples) {
        return samples.stream().mapToDouble(BootRatio.Sample::cpu).toArray();
    }
}
