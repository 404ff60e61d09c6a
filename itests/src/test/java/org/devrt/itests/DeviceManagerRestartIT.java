package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceInventory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.condition.Condition;

/**
 * The device manager under a mounted disk: its configuration edited while it runs (conf/devrt.devicemanager.cfg, as
 * File Install hands it over), and its bundle stopped and started again; the AHCI driver's configuration given and
 * taken away under it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeviceManagerRestartIT extends AhciTestSupport {
    static final String MANAGER_BSN = "devrt.device-manager";

    @Test
    public void aChangedTimeOutAppliesWithoutDetachingAnyDriver() throws Exception {
        Object disk = awaitDiskService().getProperty(Constants.SERVICE_ID);
        Configuration configuration = managerConfiguration();
        Dictionary<String, Object> properties = configuration.getProperties();
        properties.put("attachTimeoutMillis", "20000");

        configuration.update(properties);

        assertDiskKeeps(disk, "while the device manager takes a new attach time-out", Duration.ofSeconds(3));
        awaitController("still BOUND", AhciTestSupport::bound);
    }

    @Test
    public void aChangedRepositoryIsReadAtOnceAndBoundDevicesStay() throws Exception {
        Object disk = awaitDiskService().getProperty(Constants.SERVICE_ID);
        Configuration configuration = managerConfiguration();
        Dictionary<String, Object> properties = configuration.getProperties();
        Object shipped = properties.get("repository");
        properties.put("repository", ""); // installed drivers only
        try {
            configuration.update(properties);

            await("'drivers' to say that no repository is configured; it says:\n" + shellQuietly("devrt:drivers"),
                () -> shellQuietly("devrt:drivers").contains("repository: none configured"));
            assertDiskKeeps(disk, "without a repository", Duration.ofSeconds(2));
        } finally {
            properties.put("repository", shipped);
            configuration.update(properties);
        }
        await("'drivers' to name the shipped repository again", () -> !shellQuietly("devrt:drivers")
            .contains("repository: none configured"));
    }

    @Test
    public void aChangedAhciCommandTimeOutAppliesWithoutDetachingTheDisk() throws Exception {
        Object disk = awaitDiskService().getProperty(Constants.SERVICE_ID);
        ConfigurationAdmin admin = requiredService(ConfigurationAdmin.class, "org.apache.felix.configadmin");
        Configuration configuration = admin.getConfiguration("devrt.ahci", "?"); // none in conf/: the defaults
        try {
            configuration.update(new Hashtable<>(Map.of("commandTimeoutMillis", 20_000L)));

            assertDiskKeeps(disk, "while the AHCI driver takes a new command time-out", Duration.ofSeconds(3));
        } finally {
            configuration.delete();
        }
        assertDiskKeeps(disk, "once the AHCI driver's configuration is deleted (its defaults again)",
            Duration.ofSeconds(3));
    }

    /** The device manager's configuration, as File Install made it from conf/devrt.devicemanager.cfg. */
    private Configuration managerConfiguration() throws Exception {
        ConfigurationAdmin admin = requiredService(ConfigurationAdmin.class, "org.apache.felix.configadmin");
        Configuration configuration = admin.getConfiguration("devrt.devicemanager", "?");
        assertNotNull("no devrt.devicemanager configuration from conf/", configuration.getProperties());
        return configuration;
    }

    /** Asserts that the disk's BlockDevice service stays the one with {@code serviceId} for {@code period}. */
    private void assertDiskKeeps(Object serviceId, String when, Duration period) throws InterruptedException {
        assertStays("the disk keeps its BlockDevice service (service.id " + serviceId + ") " + when, period,
            () -> diskServices().size() == 1
                && serviceId.equals(diskServices().get(0).getProperty(Constants.SERVICE_ID)));
    }

    /**
     * Readiness was a delayed component kept only by Event Admin's use of its EventHandler service: Event Admin
     * stopped, SCR disposed of it and devrt.ready went; each 'ready' then made a new one that said "ready again".
     */
    @Test
    public void devrtReadyOutlivesARestartOfEventAdmin() throws Exception {
        Object ready = readyServiceId();
        assertNotNull("devrt.ready is not registered", ready);
        Bundle eventAdmin = Arrays.stream(context.getBundles())
            .filter(b -> "org.apache.felix.eventadmin".equals(b.getSymbolicName())).findFirst().orElseThrow();

        eventAdmin.stop();
        try {
            assertStays("devrt.ready stays registered (service.id " + ready + ") while Event Admin is stopped",
                Duration.ofSeconds(1), () -> ready.equals(readyServiceId()));
        } finally {
            eventAdmin.start();
        }
        assertStays("devrt.ready stays the one registered at boot (service.id " + ready + ")", Duration.ofSeconds(1),
            () -> ready.equals(readyServiceId()));
    }

    private Object readyServiceId() {
        try {
            return context.getServiceReferences(Condition.class, "(osgi.condition.id=devrt.ready)").stream()
                .map(ref -> ref.getProperty(Constants.SERVICE_ID)).findFirst().orElse(null);
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void stoppingAndStartingTheDeviceManagerDetachesEveryDriverAndAttachesThemAgain() throws Exception {
        awaitDisk();
        Bundle manager = Arrays.stream(context.getBundles()).filter(b -> MANAGER_BSN.equals(b.getSymbolicName()))
            .findFirst().orElseThrow();

        manager.stop();

        await("no BlockDevice service of " + DISK_ID + " once the device manager stopped",
            () -> diskServices().isEmpty());
        assertEquals("the AHCI driver bundle stays installed", 1, driverBundles().size());

        manager.start();

        inventory = requiredService(DeviceInventory.class, MANAGER_BSN);
        awaitController("BOUND again (a driver whose access the stopped manager left open would keep it QUARANTINED)",
            AhciTestSupport::bound);
        ServiceReference<BlockDevice> again = awaitDiskService();
        assertNotNull(again);
        String banner = shellQuietly("devrt:ready");
        assertTrue("the banner times the manager's start, not the JVM's:\n" + banner,
            banner.startsWith("devrt ready again ") && banner.contains(" s after the device manager started: "));
    }
}
