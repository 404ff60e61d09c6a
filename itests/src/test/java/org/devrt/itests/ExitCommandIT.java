package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Leaving devrt's shell as a person does: {@code exit 3} typed at the prompt of {@code java -jar run.jar} in its own
 * JVM, on a pseudo-terminal ({@link PtyRuntime}). The framework must stop before the JVM ends (the volume unmounted),
 * the JVM must end with the status typed, and no exception may reach the terminal. The line is typed at once; it
 * waits in the terminal until the shell reads it, after the banner.
 */
public class ExitCommandIT {
    private static final long EXIT_SECONDS = 120;
    private static Path dir;
    private static int status;
    private static String output;

    @BeforeClass
    public static void bootAndTypeExit3() throws Exception {
        dir = RuntimeTestSupport.freshRuntimeFolder("exit");
        PtyRuntime.Ended ended = PtyRuntime.run(dir, "exit 3\n", Duration.ofSeconds(EXIT_SECONDS));
        output = ended.output();
        status = ended.status();
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
