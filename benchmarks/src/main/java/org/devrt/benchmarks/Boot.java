package org.devrt.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One boot of an exported runtime (a bnd executable jar) in a child JVM, timed from just before the
 * process starts until its Gogo shell has run a command.
 *
 * <p>The child runs on a pseudo-terminal (util-linux {@code script}), as when a person starts it. Gogo
 * JLine 1.1.8 cannot be timed without one: on a pipe it falls back to a dumb terminal of 0 columns on
 * which its line reader spins, and with {@code gosh.args} (--nointeractive, -c) its default gosh_profile
 * fails for want of a line reader, so no command runs. So the command is typed instead: it waits in the
 * terminal's input until the shell reads it after its first prompt. The shell computes the marker, so
 * that the terminal's echo of the typed line cannot be mistaken for it.
 *
 * <p>Each boot starts in a new folder holding what its {@link Launch} reads there (devrt: conf/, etc/, the
 * driver repository; its framework storage goes to var/framework). The folder is also the child's
 * {@code java.io.tmpdir}, where the bnd launcher of a runtime without -runkeep puts a new framework
 * storage, and its {@code user.home}, where Gogo keeps its history. It is deleted afterwards.
 */
final class Boot implements AutoCloseable {
    private static final String COMMAND = "echo BOOT-READY-%(6*7)\n";
    private static final String MARKER = "BOOT-READY-42";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path dir;
    private final boolean deleteFolder;
    private final Process process;
    private final long startNanos;
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private volatile Duration cpuAtShell = Duration.ZERO;
    private final Deque<String> lastLines = new ArrayDeque<>();

    static Boot start(Launch launch) throws IOException {
        return new Boot(launch, launch.newWorkingFolder(), true);
    }

    /**
     * A boot in the given folder, which stays when the boot is closed: restarts boot again and again in one folder,
     * each on the state the boots before kept there (see {@link Launch#keepingState()}).
     */
    static Boot in(Launch launch, Path dir) throws IOException {
        return new Boot(launch, dir, false);
    }

    private Boot(Launch launch, Path dir, boolean deleteFolder) throws IOException {
        this.dir = dir;
        this.deleteFolder = deleteFolder;
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow()); // this JVM's java
        command.add("-Djava.io.tmpdir=" + dir);
        command.add("-Duser.home=" + dir);
        command.addAll(launch.jvmOptions());
        command.add("-jar");
        command.add(launch.jar().toString());
        String javaCommand = command.stream().map(Boot::shellQuote).collect(Collectors.joining(" "));
        ProcessBuilder builder = new ProcessBuilder("script", "-q", "-f", "-c",
                "stty cols 120 rows 40 && exec " + javaCommand, "/dev/null")
                .directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("TERM", "xterm");
        startNanos = System.nanoTime();
        process = builder.start();
        OutputStream keyboard = process.getOutputStream();
        keyboard.write(COMMAND.getBytes(StandardCharsets.UTF_8));
        keyboard.flush(); // and left open: the end of input would stop the shell
        Thread reader = new Thread(this::readOutput, "boot output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits for the marker and returns the nanoseconds from the start of the process to it. */
    long awaitShell() throws Exception {
        try {
            return ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) - startNanos;
        } catch (TimeoutException e) {
            throw new IllegalStateException("no shell after " + TIMEOUT_SECONDS + " s; last output:\n" + lastOutput());
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /**
     * The CPU time (all threads) that the child JVM had used when its shell answered, after
     * {@link #awaitShell()}: less disturbed than wall time by other load on the machine.
     */
    Duration cpuAtShell() {
        return cpuAtShell;
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.contains(MARKER)) {
                    long now = System.nanoTime();
                    cpuAtShell = process.children().findFirst() // the JVM, which the shell exec'd
                            .flatMap(jvm -> jvm.info().totalCpuDuration()).orElse(Duration.ZERO);
                    ready.complete(now);
                }
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 40) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; said below
        }
        ready.completeExceptionally(new IllegalStateException(
                "the process ended before its shell answered; last output:\n" + lastOutput()));
    }

    private String lastOutput() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    /**
     * Stops the JVM (SIGTERM; SIGKILL if it still runs after 30 s), waits for {@code script} to end with
     * it, and deletes the folder unless the boot was given it. (A SIGTERM to {@code script} would cost it seconds to
     * end.) SIGTERM stops the framework (devrt's shutdown hook; the bnd launcher's for the bare runtime), so what a
     * runtime keeps is left as at a normal end.
     */
    @Override
    public void close() throws Exception {
        for (ProcessHandle jvm : process.descendants().toList()) {
            jvm.destroy();
            try {
                jvm.onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                jvm.destroyForcibly();
                jvm.onExit().get();
            }
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        if (deleteFolder) {
            Launch.deleteTree(dir);
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
