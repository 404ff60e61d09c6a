package org.devrt.itests;

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
 * A user uninstalls devrt.emulator ({@code uninstall -f}) and leaves; at the next start the bnd launcher installs it
 * again from run.jar with a bundle id above the device manager's, so it starts after the manager. Its bus's functions
 * are plugged as the bus's service registers, which satisfied the emulator's settled condition before the device
 * manager's tracker was told of the bus: readiness was declared with the emulated devices unknown ("0 bound"), in
 * two starts of three. Each of three starts after the reinstall must be ready with both emulated devices bound.
 */
public class EmulatorStartedLastIT {
    private static final Duration EXIT = Duration.ofSeconds(120);
    private static final int RESTARTS = 3;
    private static Path dir;
    private static String uninstalling;
    private static final List<String> restarts = new ArrayList<>();

    @BeforeClass
    public static void uninstallTheEmulatorThenStartAgainThreeTimes() throws Exception {
        dir = RuntimeTestSupport.freshRuntimeFolder("emulator-last");
        uninstalling = run("uninstall -f devrt.emulator\nexit\n");
        for (int i = 0; i < RESTARTS; i++) {
            restarts.add(run("exit\n"));
        }
    }

    private static String run(String typed) throws Exception {
        return PtyRuntime.run(dir, typed, EXIT).output();
    }

    @AfterClass
    public static void cleanUp() throws IOException {
        if (dir != null) {
            RuntimeTestSupport.deleteFolder(dir);
        }
    }

    @Test
    public void eachStartAfterTheEmulatorWasInstalledAgainIsReadyWithTheEmulatedDevicesBound() {
        assertTrue("the emulator was not uninstalled:\n" + uninstalling,
                uninstalling.contains("unplugged 0000:00:03.0 e1000"));
        for (int i = 0; i < RESTARTS; i++) {
            String out = restarts.get(i);
            String banner = out.lines().filter(l -> l.startsWith("devrt ready ")).findFirst().orElse(null);
            assertNotNull("start " + (i + 1) + " after the reinstall printed no banner:\n" + out, banner);
            assertTrue("start " + (i + 1) + " after the reinstall was ready before the emulated disk and NIC were"
                    + " bound: " + banner + "\n" + out, banner.contains(" 2 bound,"));
        }
    }
}
