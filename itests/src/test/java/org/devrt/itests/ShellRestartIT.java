package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A refresh of Gogo's runtime takes the shell's bundles and every devrt bundle with commands (they import its command
 * API), so Gogo starts a new shell and etc/gosh_profile runs again, before devrt's refreshed bundles have registered
 * their commands: it said "devrt: no readiness to report (... Command not found: devrt:ready)" and left the shell in
 * the host's folder, where relative VFS paths fail. The profile now waits for devrt's commands. (Found with a refresh
 * of Configuration Admin, which reached Gogo while Felix's Configuration Admin and Event Admin exported their APIs;
 * their API bundles export them now, and such a refresh no longer restarts the shell.)
 */
public class ShellRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Path dir;
    private static String output;
    private static Integer status;

    @BeforeClass
    public static void refreshGogosRuntimeThenAskForTheWorkingDirectory() throws Exception {
        dir = RuntimeTestSupport.freshRuntimeFolder("shell-restart");
        try (PtyRuntime runtime = PtyRuntime.start(dir, "")) {
            runtime.await("devrt ready ", WAIT);
            runtime.type("refresh org.apache.felix.gogo.runtime\n");
            runtime.await("devrt ready again ", WAIT); // the new shell's profile ran 'ready'
            awaitAfter(runtime, "devrt ready again ", "g! ");
            // The old shell's thread may still read a key or two: Gogo JLine's own stop of it, with the terminal
            // closed, can wait out its 5 s ("FAILED TO STOP EXECUTOR", seen on Temurin 25), and a key it takes is
            // lost. Leading blanks absorb that; the lost keys are in the session note as left.
            runtime.type("    pwd\n");
            awaitAfter(runtime, "devrt ready again ", "\n/\n");
            runtime.type("    exit\n");
            status = runtime.waitFor(WAIT);
            output = runtime.output();
        }
    }

    /** Waits until {@code text} is written after {@code marker}, terminal escapes left out. */
    private static void awaitAfter(PtyRuntime runtime, String marker, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!afterMarker(runtime.output(), marker).contains(text)) {
            assertTrue("'" + text.strip() + "' not seen after '" + marker + "':\n" + runtime.output(),
                    System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }

    private static String afterMarker(String output, String marker) {
        int at = output.indexOf(marker);
        return at < 0 ? "" : output.substring(at).replaceAll("\u001B\\[[0-9;?]*[a-zA-Z]|\u001B[=>]", "");
    }

    @AfterClass
    public static void cleanUp() throws IOException {
        if (dir != null) {
            RuntimeTestSupport.deleteFolder(dir);
        }
    }

    @Test
    public void theNewShellWaitsForDevrtsCommandsAndWorksInTheVfs() {
        assertFalse("the new shell's profile ran before devrt's commands were back:\n" + output,
                output.contains("Command not found: devrt:"));
        assertTrue("pwd did not answer / (the VFS's root):\n" + output,
                afterMarker(output, "devrt ready again ").contains("\n/\n"));
        assertNotNull("the runtime did not end after 'exit':\n" + output, status);
        assertEquals("exit status:\n" + output, 0, (int) status);
    }
}
