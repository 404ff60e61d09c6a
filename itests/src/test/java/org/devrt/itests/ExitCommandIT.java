package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.Assert;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Leaving devrt's shell as a person does: {@code exit 3} typed at the prompt of {@code java -jar run.jar} in its own
 * JVM, on a pseudo-terminal (util-linux {@code script}: Gogo's JLine shell needs a terminal). The framework must stop
 * before the JVM ends (the volume unmounted), the JVM must end with the status typed, and no exception may reach the
 * terminal. The line is typed at once; it waits in the terminal until the shell reads it, after the banner.
 */
public class ExitCommandIT {
    private static final long EXIT_SECONDS = 120;
    private static Path dir;
    private static int status;
    private static String output;

    @BeforeClass
    public static void bootAndTypeExit3() throws Exception {
        requireScript();
        dir = RuntimeTestSupport.freshRuntimeFolder("exit");
        String java = List.of(ProcessHandle.current().info().command().orElseThrow(), "-Duser.home=" + dir,
                "-Djava.io.tmpdir=" + dir, "-Dfelix.fileinstall.dir=conf", "-Dlaunch.storage.dir=var/framework",
                "-jar", System.getProperty("devrt.runtime.jar")).stream()
                .map(word -> "'" + word.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        ProcessBuilder builder = new ProcessBuilder("script", "--quiet", "--return", "--flush", "--command",
                "stty cols 120 rows 40 && exec " + java, "/dev/null").directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("TERM", "xterm");
        Process process = builder.start();
        try (OutputStream keyboard = process.getOutputStream()) {
            keyboard.write("exit 3\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            byte[] text = readAll(process.getInputStream(), process);
            output = new String(text, StandardCharsets.UTF_8).replace("\r", "");
            status = process.exitValue();
        } finally {
            process.destroyForcibly();
        }
    }

    /** Skips the test (fails it in CI, where .ci/run installs it) unless util-linux's script is installed. */
    private static void requireScript() {
        if (Stream.of("/usr/bin/script", "/bin/script").anyMatch(p -> Files.isExecutable(Path.of(p)))) {
            return;
        }
        String why = "not installed: script (Debian: bsdutils)";
        if ("true".equals(System.getenv("CI"))) {
            Assert.fail(why + "; .ci/run installs it, so CI must have it");
        }
        Assume.assumeTrue(why, false);
    }

    /** What the process writes until it ends; fails if it has not ended within {@link #EXIT_SECONDS}. */
    private static byte[] readAll(InputStream in, Process process) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            try {
                if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                    killed.set(true);
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "exit-it watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        byte[] text = in.readAllBytes();
        process.waitFor();
        assertFalse("the runtime did not end within " + EXIT_SECONDS + " s of 'exit 3':\n"
                + new String(text, StandardCharsets.UTF_8), killed.get());
        return text;
    }

    @AfterClass
    public static void cleanUp() throws IOException {
        if (dir != null) {
            RuntimeTestSupport.deleteFolder(dir);
        }
    }

    @Test
    public void exitEndsTheJvmWithTheStatusTyped() {
        assertTrue("the shell did not take 'exit 3':\n" + output, output.contains("JVM ends with status 3"));
        assertEquals("exit status of 'exit 3':\n" + output, 3, status);
    }

    @Test
    public void exitStopsTheFrameworkFirstSoTheVolumeIsUnmounted() {
        assertTrue("the framework was not stopped:\n" + output,
                output.contains("the JVM is ending: stopping the framework"));
        assertTrue("the volume was not unmounted:\n" + output, output.contains("unmounted /mnt/sda1"));
    }

    /** Gogo JLine's stop waits up to 5 s for a shell thread still reading the terminal, and then says so. */
    @Test
    public void theShellLetsGoOfTheTerminalAtOnce() {
        assertFalse("the shell's thread did not end when the framework stopped:\n" + output,
                output.contains("FAILED TO STOP EXECUTOR"));
    }

    @Test
    public void noExceptionReachesTheTerminal() {
        assertFalse("an exception reached the terminal:\n" + output, output.contains("Exception"));
    }
}
