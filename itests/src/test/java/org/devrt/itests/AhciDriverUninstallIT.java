package org.devrt.itests;

import static org.devrt.device.DeviceState.NO_DRIVER;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceStatus;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** The user uninstalls the AHCI driver bundle: the disk goes and stays gone; {@code bind} brings it back, data too. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AhciDriverUninstallIT extends AhciTestSupport {

    @Test
    public void uninstallingTheDriverTakesTheDiskAwayForGoodAndBindBringsItBackWithItsData() throws Exception {
        BlockDevice disk = awaitDisk();
        long lba = 8192;
        int count = 64;
        writePatterns(disk, lba, count, 1);
        disk.flush();
        List<Bundle> drivers = driverBundles();
        assertEquals("bundles of " + DRIVER_BSN + " before the uninstall\n" + state(), 1, drivers.size());

        drivers.get(0).uninstall(); // what the shell's 'uninstall' does

        await("no BlockDevice service of " + DISK_ID + " after its driver was uninstalled", () -> diskServices().isEmpty());
        assertTrue("the device-service registry still has " + DISK_ID + ": " + deviceServices.byDevice(DISK_ID),
            deviceServices.byDevice(DISK_ID).isEmpty());
        DeviceStatus status = awaitController("NO_DRIVER with a reason saying the user uninstalled its driver",
            s -> s.state() == NO_DRIVER && s.reason().contains("uninstalled by the user"));
        assertTrue("the reason does not say how to get the driver back ('bind'): " + status.reason(),
            status.reason().contains("bind"));
        assertGone("a read through the BlockDevice got before the uninstall",
            () -> disk.read(lba, ByteBuffer.allocate(BLOCK)));
        String rescan = shell("devrt:rescan");
        assertTrue("rescan answered: " + rescan, rescan.startsWith("rescanned"));
        assertStays(DRIVER_BSN + " stays uninstalled and " + CONTROLLER_ID + " NO_DRIVER, also after a rescan",
            Duration.ofSeconds(2), () -> driverBundles().isEmpty() && diskServices().isEmpty()
                && inventory.device(CONTROLLER_ID).map(s -> s.state() == NO_DRIVER).orElse(false));

        inventory.bind(CONTROLLER_ID);

        awaitController("BOUND to the ahci driver again after bind", AhciTestSupport::bound);
        BlockDevice again = awaitDisk();
        List<Bundle> reinstalled = driverBundles();
        assertEquals("bundles of " + DRIVER_BSN + " after bind\n" + state(), 1, reinstalled.size());
        assertTrue("bind did not install " + DRIVER_BSN + " from the repository: " + reinstalled.get(0).getLocation(),
            reinstalled.get(0).getLocation().startsWith(REPOSITORY_LOCATION));
        assertEquals("state of " + DRIVER_BSN + " after bind", "ACTIVE", stateName(reinstalled.get(0)));
        assertPatterns("data written and flushed before the uninstall, read after bind", again, lba, count, 1);
    }
}
