package org.devrt.itests.nic;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The host programs the real-peer tests run (socat, tcpdump, iproute2's ip, and arping or ping), whether they can run
 * here, and a way to run them with a bound on time. Used outside the framework (by {@link RealPeerRunner}, before
 * it boots) and inside it (by {@link TapPeer}).
 */
final class HostTools {
    /** The tools every real-peer test needs, with the Debian package of each. */
    static final List<String> REQUIRED = List.of("socat", "tcpdump", "ip");
    static final String PACKAGES = "socat tcpdump iproute2 iputils-arping (or iputils-ping)";
    /** Where the tools may be besides PATH: sbin is not on every user's PATH. */
    private static final List<String> MORE_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    /** A finished command: its exit code and what it printed (stdout and stderr together). */
    record Result(List<String> command, int exitCode, String output) {
        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exitCode + (output.isBlank() ? "" : ": " + output.strip());
        }
    }

    private HostTools() {
    }

    /** Whether this is a CI run (CI=true), where a missing tool fails the real-peer tests instead of skipping them. */
    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The executable {@code tool} on PATH or in the usual sbin/bin folders. */
    static Optional<Path> find(String tool) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(MORE_DIRS);
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, tool))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /** {@link #find}, or an AssertionError naming the tool and the packages. */
    static String require(String tool) {
        return find(tool).map(Path::toString).orElseThrow(() -> new AssertionError(
                tool + " is not installed (the real-peer tests need the Debian packages " + PACKAGES + ")"));
    }

    /** Whether this process runs with effective user id 0 (the Uid line of /proc/self/status). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids.length > 1 && ids[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false; // not Linux
        }
        return false;
    }

    /** Why this process cannot be root for the real-peer tests, or null if it is. */
    static String notRoot() {
        return isRoot() ? null : "the real-peer tests run as root only (they create a network namespace and a TAP "
                + "device); this process is not root (effective uid != 0 in /proc/self/status)";
    }

    /** What is missing for the real-peer tests (tools, the TUN device), or null if nothing is. */
    static String missing() {
        List<String> missing = new ArrayList<>();
        REQUIRED.stream().filter(t -> find(t).isEmpty()).forEach(missing::add);
        if (find("arping").isEmpty() && find("ping").isEmpty()) {
            missing.add("arping or ping");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun (the tun module)");
        }
        return missing.isEmpty() ? null : "missing " + String.join(", ", missing) + ": the real-peer tests need the "
                + "Debian packages " + PACKAGES + " and /dev/net/tun";
    }

    /**
     * Runs {@code command} (its first element a tool name or path) and waits for it; kills it and throws an
     * AssertionError naming it if it takes longer than {@code timeout}.
     */
    static Result run(Duration timeout, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        if (!cmd.get(0).contains("/")) {
            cmd.set(0, require(cmd.get(0)));
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + String.join(" ", cmd) + ": " + e, e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> output = readAll(p.getInputStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", cmd) + " did not end within " + timeout.toMillis() + " ms");
            }
            return new Result(cmd, p.exitValue(), output.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new AssertionError(String.join(" ", cmd) + ": reading its output failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(String.join(" ", cmd) + ": interrupted", e);
        } finally {
            stop(p);
        }
    }

    /** {@link #run}, failing with the command and its output unless it exits 0. */
    static Result check(Duration timeout, String... command) {
        Result r = run(timeout, command);
        if (r.exitCode() != 0) {
            throw new AssertionError("command failed: " + r);
        }
        return r;
    }

    /** Reads {@code in} to its end on another thread, as text. */
    static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Ends a process this test started (and only it): politely, then by force; waits for it. */
    static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
