package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * SIGTERM to {@code java -jar run.jar} while its interactive shell waits at the prompt (a person's {@code kill}, a
 * service manager's stop), on a pseudo-terminal ({@link PtyRuntime}), {@value #BOOTS} times on the same folder. Gogo
 * JLine's own stop waited 5 s for a shell thread caught in JLine's read of the terminal and printed
 * {@code !!! FAILED TO STOP EXECUTOR !!!} (2 of 5 SIGTERMs did): devrt's shutdown hook ends the shell first.
 */
public class SigtermAtPromptIT {
    static final int BOOTS = 4;
    private static final Duration READY = Duration.ofSeconds(90);
    /** Well under Gogo JLine's 5 s, well over the framework's stop here (0.2-0.3 s). */
    private static final Duration QUICK = Duration.ofSeconds(3);
    private static Path dir;
    private static final List<String> outputs = new ArrayList<>();
    private static final List<Long> stopMillis = new ArrayList<>();
    private static final List<Integer> statuses = new ArrayList<>();

    @BeforeClass
    public static void bootThenSigtermAtThePrompt() throws Exception {
        dir = RuntimeTestSupport.freshRuntimeFolder("sigterm-prompt");
        for (int i = 0; i < BOOTS; i++) {
            try (PtyRuntime runtime = PtyRuntime.start(dir, "")) {
                runtime.await("devrt ready", READY);
                long deadline = System.nanoTime() + READY.toNanos();
                while (!runtime.output().substring(runtime.output().indexOf("devrt ready")).contains("g! ")) {
                    assertTrue("no prompt after the banner:\n" + runtime.output(), System.nanoTime() < deadline);
                    Thread.sleep(20);
                }
                Thread.sleep(1000); // the shell waits in JLine's read of the terminal
                long sent = System.nanoTime();
                assertTrue("cannot send SIGTERM", runtime.java().destroy());
                Integer status = runtime.waitFor(Duration.ofSeconds(40));
                stopMillis.add((System.nanoTime() - sent) / 1_000_000);
                outputs.add(runtime.output());
                assertNotNull("the runtime did not end within 40 s of SIGTERM:\n" + runtime.output(), status);
                statuses.add(status);
            }
        }
    }

    @AfterClass
    public static void cleanUp() throws IOException {
        if (dir != null) {
            RuntimeTestSupport.deleteFolder(dir);
        }
    }

    @Test
    public void theRuntimeEndsAtOnceWithoutWaitingForTheShell() {
        for (int i = 0; i < BOOTS; i++) {
            assertFalse("boot " + (i + 1) + ": Gogo JLine waited for the shell's thread:\n" + outputs.get(i),
                    outputs.get(i).contains("FAILED TO STOP EXECUTOR"));
            assertTrue("boot " + (i + 1) + ": " + stopMillis.get(i) + " ms from SIGTERM to the end (all: " + stopMillis
                    + ")", stopMillis.get(i) < QUICK.toMillis());
        }
    }

    @Test
    public void theFrameworkStopsSoTheVolumeIsUnmountedAndTheJvmEndsAsForSigterm() {
        for (int i = 0; i < BOOTS; i++) {
            assertTrue("boot " + (i + 1) + ": the volume was not unmounted:\n" + outputs.get(i),
                    outputs.get(i).contains("unmounted /mnt/sda1"));
            assertEquals("boot " + (i + 1) + ": exit status", 128 + 15, (int) statuses.get(i));
        }
    }

    @Test
    public void noExceptionReachesTheTerminal() {
        for (String output : outputs) {
            assertFalse("an exception reached the terminal:\n" + output, output.contains("Exception"));
        }
    }
}
