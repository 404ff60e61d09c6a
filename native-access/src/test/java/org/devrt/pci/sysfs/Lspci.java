package org.devrt.pci.sysfs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.devrt.pci.PciFunction;
import org.junit.Assume;

/**
 * The real {@code lspci} (pciutils), run as a peer that checks the sysfs reader, and the parsing of its output into
 * one normalised line per function, so that lspci's view and the bus's view compare as two sorted lists.
 * Always run with {@code -A linux-sysfs}: lspci then reads the same files the bus reads, and nothing else.
 */
final class Lspci {
    /** {@code [dddd:]bb:dd.f cccc: vvvv:dddd [(rev rr)] [(prog-if pp)]}, as {@code lspci -n} prints a function. */
    private static final Pattern TERSE = Pattern.compile("(?:([0-9a-f]{4,}):)?([0-9a-f]{2}):([0-9a-f]{2})\\.([0-7])"
            + " ([0-9a-f]{4}): ([0-9a-f]{4}):([0-9a-f]{4})(?: \\(rev ([0-9a-f]{2})\\))?(?: \\(prog-if ([0-9a-f]{2}).*)?");

    private final Path executable;

    private Lspci(Path executable) {
        this.executable = executable;
    }

    /**
     * The installed lspci. Missing: in CI ({@code CI=true}) the test fails, since CI installs pciutils; elsewhere it
     * is skipped.
     */
    static Lspci installed() {
        List<Path> candidates = new ArrayList<>();
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                candidates.add(Path.of(directory, "lspci"));
            }
        }
        candidates.addAll(List.of(Path.of("/usr/bin/lspci"), Path.of("/usr/sbin/lspci"), Path.of("/sbin/lspci")));
        Optional<Path> found = candidates.stream().filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            String message = "lspci is not installed (package pciutils)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "; CI must install it (.ci/run does), so this is a failure, not a skip");
            }
            Assume.assumeTrue(message + "; skipped outside CI", false);
        }
        return new Lspci(found.get());
    }

    /** {@code lspci -n}, one normalised line per function: {@code 0000:00:1f.2 0106: 8086:2922 (rev 02)}. */
    List<String> terse(Optional<Path> sysfsPath) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        for (String line : run(sysfsPath, "-n")) {
            Matcher m = TERSE.matcher(line);
            assertTrue("lspci -n printed a line this test cannot parse: '" + line + "'", m.matches());
            String domain = m.group(1) == null ? "0000" : m.group(1);
            String rev = m.group(8) == null ? "" : " (rev " + m.group(8) + ")";
            lines.add(String.format("%s:%s:%s.%s %s: %s:%s%s", domain, m.group(2), m.group(3), m.group(4), m.group(5),
                    m.group(6), m.group(7), rev));
        }
        return lines;
    }

    /** What {@link #terse} gives for a function of the bus. */
    static String terse(PciFunction f) {
        String rev = f.revision() == 0 ? "" : String.format(" (rev %02x)", f.revision());
        return String.format("%s %s: %04x:%04x%s", f.address(), f.classCode(), f.vendorId(), f.deviceId(), rev);
    }

    /**
     * {@code lspci -vmm -n -k -D}, one normalised line per function:
     * {@code 0000:00:1f.2 class 0106 progif 01 rev 02 sub 1af4:1100 driver ahci}.
     */
    List<String> machine(Optional<Path> sysfsPath) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        Map<String, String> record = new HashMap<>();
        List<String> output = new ArrayList<>(run(sysfsPath, "-vmm", "-n", "-k", "-D"));
        output.add("");
        for (String line : output) {
            if (line.isBlank()) {
                if (!record.isEmpty()) {
                    lines.add(machineLine(record));
                    record.clear();
                }
                continue;
            }
            String[] field = line.split(":\t", 2);
            assertEquals("lspci -vmm printed a line this test cannot parse: '" + line + "'", 2, field.length);
            record.putIfAbsent(field[0], field[1]);
        }
        return lines;
    }

    private static String machineLine(Map<String, String> r) {
        String sub = r.containsKey("SVendor") ? " sub " + r.get("SVendor") + ":" + r.get("SDevice") : "";
        String driver = r.containsKey("Driver") ? " driver " + r.get("Driver") : "";
        return String.format("%s class %s progif %s rev %s%s%s", r.get("Slot"), r.get("Class"),
                r.getOrDefault("ProgIf", "00"), r.getOrDefault("Rev", "00"), sub, driver);
    }

    /** What {@link #machine} gives for a function of the bus (lspci leaves out subsystem 0000 and ffff). */
    static String machine(PciFunction f) {
        int sv = f.subsystemVendorId();
        String sub = sv == 0 || sv == 0xffff ? "" : String.format(" sub %04x:%04x", sv, f.subsystemId());
        String driver = f.kernelDriver().map(d -> " driver " + d).orElse("");
        return String.format("%s class %s progif %02x rev %02x%s%s", f.address(), f.classCode(),
                f.classCode().progIf(), f.revision(), sub, driver);
    }

    static List<String> render(List<PciFunction> functions, Function<PciFunction, String> line) {
        return functions.stream().map(line).collect(Collectors.toList());
    }

    private List<String> run(Optional<Path> sysfsPath, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-A", "linux-sysfs"));
        sysfsPath.ifPresent(path -> command.addAll(List.of("-O", "sysfs.path=" + path)));
        command.addAll(List.of(options));
        Path out = Files.createTempFile("lspci", ".out");
        Path err = Files.createTempFile("lspci", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("LC_ALL", "C");
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 60 s");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(String.join(" ", command) + " failed: " + stderr, 0, process.exitValue());
            try (Stream<String> lines = Files.lines(out, StandardCharsets.UTF_8)) {
                return lines.collect(Collectors.toList());
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
