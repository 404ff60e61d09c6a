package org.devrt.itests;

import static org.devrt.device.DeviceState.BOUND;
import static org.devrt.device.DeviceState.QUARANTINED;
import static org.devrt.itests.DriverBundle.driver;
import static org.junit.Assert.assertNotNull;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Driver bundles the device manager installed from the repository are uninstalled once no device has used them for
 * the grace period (driverGraceSeconds, 1 s here): after their last device went, and also when no device ever took
 * them (a driver that never registers its driver stayed installed for good, and was started again at every boot).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DriverGraceIT extends DeviceManagerTestSupport {
    static final DriverBundle USED = driver("itest.grace.used", "itest-grace-used").ids(0x1234, 0x0201);
    /** Declares its driver and never registers it: its device ends QUARANTINED. */
    static final DriverBundle SILENT = driver("itest.grace.silent", "itest-grace-silent").ids(0x1234, 0x0202)
            .behaviour("silent");

    @Override
    protected List<DriverBundle> drivers() {
        return List.of(USED, SILENT);
    }

    @Override
    protected Map<String, String> managerConfig() {
        Map<String, String> config = super.managerConfig();
        config.put("attachTimeoutMillis", "500");
        config.put("maxAttempts", "2");
        config.put("driverGraceSeconds", "1");
        return config;
    }

    @Test
    public void aDriverWhoseLastDeviceWentIsUninstalledAfterTheGracePeriod() throws Exception {
        String id = plug("00:18.0", 0x1234, 0x0201, 0xff0000);
        awaitState(id, BOUND);
        assertNotNull(USED + " installed for " + id, installed(USED));

        unplug(id);

        await(USED + " uninstalled about 1 s after its device went", () -> installed(USED) == null);
    }

    @Test
    public void aDriverNoDeviceEverTookIsUninstalledAfterTheGracePeriod() throws Exception {
        String id = plug("00:19.0", 0x1234, 0x0202, 0xff0000);
        awaitState(id, QUARANTINED);
        assertNotNull(SILENT + " installed for " + id, installed(SILENT));

        await(SILENT + " uninstalled about 1 s after its device was quarantined (its device is still plugged)",
                () -> installed(SILENT) == null);
    }
}
