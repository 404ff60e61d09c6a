package org.devrt.itests;

import static org.devrt.device.DeviceState.BOUND;
import static org.devrt.device.DeviceState.INSTALLING;
import static org.devrt.device.DeviceState.NO_DRIVER;
import static org.devrt.device.DeviceState.QUARANTINED;
import static org.devrt.itests.DriverBundle.driver;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceService;
import org.devrt.device.DeviceServiceRecord;
import org.devrt.device.DeviceStatus;
import org.devrt.itests.testdriver.DriverTrace;
import org.devrt.itests.testdriver.TestDevice;
import org.devrt.itests.testdriver.TestDriverActivator;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/** Drivers installed from the repository on demand, verified by hash; the user's uninstall; unplug and re-plug. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DriverInstallIT extends DeviceManagerTestSupport {
    static final DriverBundle ON_DEMAND = driver("itest.ondemand", "itest-ondemand").ids(0x1234, 0x0001);
    /** The index's hash for it is that of other bytes. */
    static final String WRONG_SHA256 = DriverRepository.sha256("not the jar".getBytes(StandardCharsets.UTF_8));
    static final DriverBundle TAMPERED = driver("itest.tampered", "itest-tampered").ids(0x1234, 0x0002)
            .indexedSha256(WRONG_SHA256);
    static final DriverBundle REMOVABLE = driver("itest.removable", "itest-removable").ids(0x1234, 0x0003)
            .lowerCaseHash();
    static final DriverBundle BYSTANDER = driver("itest.bystander", "itest-bystander").ids(0x1234, 0x0004);
    static final DriverBundle REPLUG = driver("itest.replug", "itest-replug").ids(0x1234, 0x0005);
    static final DriverBundle SLOW_START = driver("itest.slowstart", "itest-slowstart").ids(0x1234, 0x0006)
            .header(TestDriverActivator.START_DELAY, "1500");
    static final DriverBundle BOUNCE = driver("itest.bounce", "itest-bounce").ids(0x1234, 0x0007);
    static final DriverBundle OWN_CLASSES = driver("itest.ownclasses", "itest-ownclasses").ids(0x1234, 0x0008);
    static final DriverBundle UPDATED = driver("itest.updated", "itest-updated").ids(0x1234, 0x0009);
    static final DriverBundle BY_HAND = driver("itest.byhand", "itest-byhand").ids(0x1234, 0x000a);

    @Override
    protected List<DriverBundle> drivers() {
        return List.of(ON_DEMAND, TAMPERED, REMOVABLE, BYSTANDER, REPLUG, SLOW_START, BOUNCE, OWN_CLASSES, UPDATED, BY_HAND);
    }

    @Test
    public void aDriverOnlyInTheRepositoryIsInstalledStartedAndAttachedWhenItsDeviceIsPlugged() throws Exception {
        assertNull("itest.ondemand is installed before a device needs it\n" + state(), installed(ON_DEMAND));

        String id = plug("00:10.0", 0x1234, 0x0001, 0x020000);

        DeviceStatus status = awaitState(id, BOUND);
        assertEquals("driver bound to " + id + "\n" + state(), ON_DEMAND.driverId(), status.driverId());
        Bundle driver = installed(ON_DEMAND);
        assertNotNull("no bundle itest.ondemand 1.0.0 although " + id + " is BOUND\n" + state(), driver);
        assertTrue("the driver bundle's location does not say the manager installed it from the repository: "
                + driver.getLocation(), driver.getLocation().startsWith(REPOSITORY_LOCATION));
        assertEquals("state of " + driver.getSymbolicName(), "ACTIVE", stateName(driver));

        List<ServiceReference<?>> services = servicesOf(id);
        assertEquals("device services with devrt.device.id=" + id + "\n" + state(), 1, services.size());
        ServiceReference<?> service = services.get(0);
        assertSame("the device service's bundle", driver, service.getBundle());
        assertEquals(DeviceService.DEVICE_ID, id, service.getProperty(DeviceService.DEVICE_ID));
        assertEquals(DeviceService.PCI_ADDRESS, "0000:00:10.0", service.getProperty(DeviceService.PCI_ADDRESS));
        assertEquals(DeviceService.DRIVER_ID, ON_DEMAND.driverId(), service.getProperty(DeviceService.DRIVER_ID));
        assertEquals(DeviceService.DEVICE_TYPE, TestDevice.TYPE, service.getProperty(DeviceService.DEVICE_TYPE));
        List<DeviceServiceRecord> records = deviceServices.byDevice(id);
        assertEquals("DeviceServiceRegistry.byDevice(" + id + ")\n" + state(), 1, records.size());
        assertEquals("its registering bundle", ON_DEMAND.symbolicName(), records.get(0).bundleSymbolicName());

        await("a " + DeviceEvents.DRIVER_ATTACHED + " event for " + id,
                () -> eventNames(id).contains(DeviceEvents.DRIVER_ATTACHED));
        List<String> states = eventNames(id).stream().filter(e -> e.startsWith(DeviceEvents.DEVICE_STATE)).toList();
        assertEquals("the STATE events of " + id, List.of("MATCHING", "INSTALLING", "ATTACHING", "BOUND"),
                states.stream().map(e -> e.substring(e.lastIndexOf(' ') + 1)).distinct().toList());
    }

    /** A driver installed by hand and not started: 'bind' said "binding ..." and nothing changed. */
    @Test
    public void bindStartsADriverInstalledByHandAndNotStarted() throws Exception {
        Bundle driver = context.installBundle(repositoryDir().resolve(BY_HAND.fileName()).toUri().toString());
        String id = plug("00:1b.0", 0x1234, 0x000a, 0x020000);
        DeviceStatus waiting = awaitState(id, NO_DRIVER);
        assertTrue("the reason says how to start it: " + waiting.reason(), waiting.reason().contains("'start "
                + driver.getBundleId() + "' or 'bind " + id + "'"));

        inventory.bind(id);

        DeviceStatus status = awaitState(id, BOUND);
        assertEquals("driver bound to " + id + "\n" + state(), BY_HAND.driverId(), status.driverId());
        assertEquals("state of " + driver.getSymbolicName(), "ACTIVE", stateName(driver));
        assertEquals("the user's bundle, not one from the repository", List.of(driver), bundles(BY_HAND.symbolicName()));
    }

    /** Gogo's update of such a bundle failed with "Unknown protocol: devrt-repository" and a stack trace. */
    @Test
    public void aDriverInstalledFromTheRepositoryIsUpdatedFromItAndAttachesAgain() throws Exception {
        String id = plug("00:1a.0", 0x1234, 0x0009, 0x020000);
        awaitState(id, BOUND);
        Bundle driver = installed(UPDATED);
        long modified = driver.getLastModified();

        driver.update(); // what Gogo's 'update <id>' does: the framework opens the bundle's location

        await("a new revision of " + UPDATED.symbolicName() + " after the update",
                () -> driver.getLastModified() != modified);
        assertSame("the same bundle, updated in place", driver, installed(UPDATED));
        DeviceStatus status = awaitState(id, BOUND);
        assertEquals("driver bound to " + id + " after the update\n" + state(), UPDATED.driverId(),
                status.driverId());
    }

    @Test
    public void theTestDriverRunsFromItsOwnBundleNotFromTheProbe() throws Exception {
        String id = plug("00:11.0", 0x1234, 0x0008, 0x020000);
        awaitState(id, BOUND);
        Bundle driver = installed(OWN_CLASSES);
        Bundle probe = FrameworkUtil.getBundle(getClass());
        String exports = probe.getHeaders().get(Constants.EXPORT_PACKAGE);
        assertTrue("the probe exports the test driver package: " + exports,
                exports == null || !exports.contains(DriverBundle.TESTDRIVER_PACKAGE));

        ServiceReference<?> ref = references("org.devrt.pci.PciDriver", "(devrt.driver.id=" + OWN_CLASSES.driverId() + ")")
                .get(0);
        Object service = context.getService(ref);
        try {
            assertSame("the bundle that defines the PciDriver class of " + OWN_CLASSES, driver,
                    FrameworkUtil.getBundle(service.getClass()));
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    public void aDriverWhoseJarDoesNotHaveTheIndexHashIsNotInstalledAndTheReasonNamesTheJarAndBothHashes()
            throws Exception {
        String actual = DriverRepository.sha256(Files.readAllBytes(repositoryDir().resolve(TAMPERED.fileName())));

        String id = plug("00:12.0", 0x1234, 0x0002, 0x020000);

        DeviceStatus status = awaitState(id, QUARANTINED);
        String reason = status.reason().toLowerCase();
        assertTrue("the reason does not name the jar " + TAMPERED.fileName() + ": " + status.reason(),
                reason.contains(TAMPERED.fileName()));
        assertTrue("the reason does not give the jar's SHA-256 " + actual + ": " + status.reason(), reason.contains(actual));
        assertTrue("the reason does not give the index's SHA-256 " + WRONG_SHA256 + ": " + status.reason(),
                reason.contains(WRONG_SHA256));
        assertTrue("the device was quarantined without a FAILED attempt (and a retry) first: " + eventNames(id),
                eventNames(id).contains(DeviceEvents.DEVICE_STATE + " FAILED"));
        assertTrue("a bundle itest.tampered is installed\n" + state(), bundles(TAMPERED.symbolicName()).isEmpty());
        assertTrue("itest.tampered was installed at some point: " + installs,
                installs.stream().noneMatch(i -> i.startsWith(TAMPERED.symbolicName() + " ")));
    }

    @Test
    public void aDriverTheUserUninstalledIsNotInstalledAgainUntilItsDeviceIsBound() throws Exception {
        String device = plug("00:13.0", 0x1234, 0x0003, 0x020000);
        awaitState(device, BOUND);
        Bundle driver = installed(REMOVABLE);
        assertTrue("not installed from the repository: " + driver.getLocation(),
                driver.getLocation().startsWith(REPOSITORY_LOCATION));

        driver.uninstall(); // what the shell's 'uninstall' does

        DeviceStatus status = awaitDevice(device, "NO_DRIVER with a reason saying the user uninstalled its driver",
                s -> s.state() == NO_DRIVER && s.reason().contains("uninstalled by the user"));
        assertTrue("the reason does not say how to get the driver back ('bind'): " + status.reason(),
                status.reason().contains("bind"));
        assertTrue("the device service of " + device + " outlived its driver\n" + state(), servicesOf(device).isEmpty());

        // Not behind the user's back: not for another device it drives, a bind of another device, or a rescan.
        String sameKind = plug("00:14.0", 0x1234, 0x0003, 0x020000);
        awaitDevice(sameKind, "NO_DRIVER, its driver refused as uninstalled by the user",
                s -> s.state() == NO_DRIVER && s.reason().contains("uninstalled by the user"));
        String other = plug("00:15.0", 0x1234, 0x0004, 0x020000);
        awaitState(other, BOUND);
        inventory.bind(other);
        String rescan = shell("devrt:rescan");
        assertTrue("rescan answered: " + rescan, rescan.startsWith("rescanned"));
        assertStays(REMOVABLE.symbolicName() + " stays uninstalled after another device's plug and bind and a rescan",
                Duration.ofSeconds(1), () -> bundles(REMOVABLE.symbolicName()).isEmpty());
        assertEquals("state of " + device + " after all that\n" + state(), NO_DRIVER, inventory.device(device).get().state());

        inventory.bind(device);

        awaitState(device, BOUND);
        Bundle again = installed(REMOVABLE);
        assertTrue("bind did not install " + REMOVABLE.symbolicName() + " from the repository again\n" + state(),
                again != null && again.getLocation().startsWith(REPOSITORY_LOCATION));
        assertEquals("device services of " + device + " after bind\n" + state(), 1, servicesOf(device).size());
    }

    @Test
    public void unplugDetachesAndRemovesTheRecordAndReplugAttachesAgainWithTheSameDeviceId() throws Exception {
        String id = plug("00:16.0", 0x1234, 0x0005, 0x020000);
        awaitState(id, BOUND);
        Object firstService = servicesOf(id).get(0).getProperty(Constants.SERVICE_ID);

        unplug(id);

        await("a " + DeviceEvents.DEVICE_REMOVED + " event for " + id,
                () -> eventNames(id).contains(DeviceEvents.DEVICE_REMOVED));
        assertTrue("the record of " + id + " is still there after its REMOVED event: " + inventory.device(id),
                inventory.device(id).isEmpty());
        assertTrue("the device service of " + id + " outlived the unplug\n" + state(), servicesOf(id).isEmpty());
        assertEquals("detach calls of " + REPLUG, 1, traceCount(REPLUG, DriverTrace.DETACH_CALLS));
        List<String> names = eventNames(id);
        assertTrue("no DETACHED event before REMOVED: " + names, names.contains(DeviceEvents.DRIVER_DETACHED)
                && names.indexOf(DeviceEvents.DRIVER_DETACHED) < names.indexOf(DeviceEvents.DEVICE_REMOVED));

        String again = plug("00:16.0", 0x1234, 0x0005, 0x020000);

        assertEquals("device id after the re-plug", id, again);
        awaitState(id, BOUND);
        List<ServiceReference<?>> services = servicesOf(id);
        assertEquals("device services of " + id + " after the re-plug\n" + state(), 1, services.size());
        assertNotEquals("the device service is the old one", firstService, services.get(0).getProperty(Constants.SERVICE_ID));
        assertEquals("attaches of " + REPLUG, 2, traceCount(REPLUG, DriverTrace.ATTACHED));
    }

    @Test
    public void aDeviceUnpluggedAndPluggedAgainWhileTheManagerIsBusyEndsBoundOnceWithoutAStaleService()
            throws Exception {
        String id = plug("00:17.0", 0x1234, 0x0007, 0x020000);
        awaitState(id, BOUND);
        // Keep the manager's worker busy: it starts this driver bundle, whose activator takes 1.5 s.
        String slow = plug("00:18.0", 0x1234, 0x0006, 0x020000);
        awaitDevice(slow, "INSTALLING (starting its slow driver bundle)",
                s -> s.state() == INSTALLING && s.reason().startsWith("starting"));

        unplug(id);
        plug("00:17.0", 0x1234, 0x0007, 0x020000);

        awaitState(slow, BOUND);
        awaitState(id, BOUND);
        // awaited whole: the test driver registers its device service before it counts the attach in its trace,
        // so the service alone could be seen with the count still one short (seen once, in a full run)
        BooleanSupplier boundOnce = () -> servicesOf(id).size() == 1
                && traceCount(BOUNCE, DriverTrace.ATTACHED) == traceCount(BOUNCE, DriverTrace.DETACH_CALLS) + 1;
        await("one device service for " + id + ", and the driver attached once more than it detached", boundOnce);
        assertStays("one device service for " + id + ", and the driver attached once more than it detached",
                Duration.ofMillis(300), boundOnce);
    }
}
