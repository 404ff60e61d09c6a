package org.devrt.itests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Assert;
import org.junit.Assume;

/**
 * {@code java -jar run.jar} in its own JVM on a pseudo-terminal, as a person starts it (util-linux {@code script}:
 * Gogo's JLine shell needs a terminal), with what it writes collected as it comes.
 */
final class PtyRuntime implements AutoCloseable {
    private final Process script;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private PtyRuntime(Process script) {
        this.script = script;
        this.reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = script.getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8).replace("\r", ""));
                }
            } catch (IOException e) {
                output.append("\n(reading the terminal failed: ").append(e).append(")\n");
            }
        }, "pty reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts run.jar in {@code dir} (conf/ and etc/ there) on a terminal of 120 x 40; {@code typed} waits in it. */
    static PtyRuntime start(Path dir, String typed) throws IOException {
        requireScript();
        String java = List.of(ProcessHandle.current().info().command().orElseThrow(), "-Duser.home=" + dir,
                "-Djava.io.tmpdir=" + dir, "-Dfelix.fileinstall.dir=conf", "-Dlaunch.storage.dir=var/framework",
                "-jar", System.getProperty("devrt.runtime.jar")).stream()
                .map(word -> "'" + word.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        ProcessBuilder builder = new ProcessBuilder("script", "--quiet", "--return", "--flush", "--command",
                "stty cols 120 rows 40 && exec " + java, "/dev/null").directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("TERM", "xterm");
        Process script = builder.start();
        PtyRuntime runtime = new PtyRuntime(script);
        runtime.type(typed);
        return runtime;
    }

    /** How a runtime {@link #run} ended: what it wrote, and its exit status. */
    record Ended(String output, int status) {
    }

    /**
     * Runs run.jar in {@code dir} with {@code typed} waiting on its terminal, until it ends; fails, with what it wrote,
     * if it has not ended within {@code timeout}.
     */
    static Ended run(Path dir, String typed, Duration timeout) throws Exception {
        try (PtyRuntime runtime = start(dir, typed)) {
            Integer status = runtime.waitFor(timeout);
            Assert.assertNotNull("the runtime did not end within " + timeout.toSeconds() + " s of '" + typed.strip()
                    + "':\n" + runtime.output(), status);
            return new Ended(runtime.output(), status);
        }
    }

    /** Types {@code text} on the terminal (it waits there until the shell reads it). */
    void type(String text) throws IOException {
        script.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        script.getOutputStream().flush();
    }

    /** Skips the test (fails it in CI, where .ci/run installs it) unless util-linux's script is installed. */
    static void requireScript() {
        if (Stream.of("/usr/bin/script", "/bin/script").anyMatch(p -> Files.isExecutable(Path.of(p)))) {
            return;
        }
        String why = "not installed: script (Debian: bsdutils)";
        if ("true".equals(System.getenv("CI"))) {
            Assert.fail(why + "; .ci/run installs it, so CI must have it");
        }
        Assume.assumeTrue(why, false);
    }

    /** What the runtime has written so far, without carriage returns. */
    String output() {
        return output.toString();
    }

    /** Waits until the output contains {@code text}; fails, with the output, if it has not within {@code timeout}. */
    void await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            Assert.assertTrue("'" + text + "' not seen within " + timeout.toSeconds() + " s:\n" + output(),
                    System.nanoTime() < deadline && script.isAlive());
            Thread.sleep(20);
        }
    }

    /** The JVM of the runtime (the child of script). */
    ProcessHandle java() {
        return script.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).findFirst()
                .orElseThrow(() -> new AssertionError("no java process under script:\n" + output()));
    }

    /**
     * Waits at most {@code timeout} for the runtime to end, then for the rest of its output.
     *
     * @return its exit status, or null if it had not ended (it is then killed, with script)
     */
    Integer waitFor(Duration timeout) throws InterruptedException {
        if (!script.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            return null;
        }
        reader.join(5000);
        return script.exitValue();
    }

    @Override
    public void close() {
        script.descendants().forEach(ProcessHandle::destroyForcibly);
        script.destroyForcibly();
    }
}
