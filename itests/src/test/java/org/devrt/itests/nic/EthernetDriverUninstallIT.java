package org.devrt.itests.nic;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.devrt.device.DeviceState;
import org.devrt.device.DeviceStatus;
import org.devrt.device.NetworkDevice;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * The user uninstalls the e1000 driver bundle while two NICs run on it: their services go, the manager does not
 * install it again behind the user's back (not for a NIC plugged meanwhile either), and {@code bind} of one NIC
 * brings it back for all, with traffic flowing. A class of its own:
 * the user's decision is kept (Configuration Admin) for as long as the framework runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EthernetDriverUninstallIT extends NicTestSupport {
    static final int FRAMES = 8;

    @Test
    public void uninstallingTheDriverTakesTheNetworkDevicesAwayUntilBindInstallsItAgainAndFramesFlow()
            throws Exception {
        String fabric = switchName("uninstall");
        Nic a = plugNic("00:11.0", "switch:" + fabric);
        Nic b = plugNic("00:12.0", "switch:" + fabric);
        awaitPort(a);
        awaitPort(b);
        Object firstServiceA = reference(a).getProperty(Constants.SERVICE_ID);
        List<Bundle> drivers = driverBundles();
        assertEquals("installed " + DRIVER_BSN + " bundles\n" + state(), 1, drivers.size());
        Bundle driver = drivers.get(0);

        driver.uninstall(); // what the shell's 'uninstall' does

        for (Nic nic : List.of(a, b)) {
            await("the NetworkDevice service of " + nic + " gone with its driver", () -> reference(nic) == null);
            DeviceStatus status = awaitDevice(nic, "NO_DRIVER with a reason saying the user uninstalled its driver",
                    s -> s.state() == DeviceState.NO_DRIVER && s.reason().contains("uninstalled by the user"));
            assertTrue("the reason of " + nic.id() + " does not name the bundle " + DRIVER_BSN + ": " + status.reason(),
                    status.reason().contains(DRIVER_BSN));
            assertTrue("the reason of " + nic.id() + " does not say how to get the driver back ('bind'): "
                    + status.reason(), status.reason().contains("bind"));
        }
        // Not behind the user's back: not for a NIC plugged now, nor on a rescan.
        Nic c = plugNic("00:13.0", "switch:" + fabric);
        awaitDevice(c, "NO_DRIVER, its driver refused as uninstalled by the user",
                s -> s.state() == DeviceState.NO_DRIVER && s.reason().contains("uninstalled by the user"));
        String rescan = shell("devrt:rescan");
        assertTrue("rescan answered: " + rescan, rescan.startsWith("rescanned"));
        assertStays(DRIVER_BSN + " stays uninstalled and the three NICs stay NO_DRIVER, after a plug and a rescan",
                Duration.ofSeconds(1), () -> driverBundles().isEmpty() && Stream.of(a, b, c).allMatch(nic ->
                        inventory.device(nic.id()).map(s -> s.state() == DeviceState.NO_DRIVER).orElse(false)));

        // bind clears the user's word about the bundle: it is installed again, and every NIC it drives is bound.
        inventory.bind(a.id());

        NetworkDevice portA = awaitPort(a);
        NetworkDevice portB = awaitPort(b);
        awaitPort(c);
        List<Bundle> again = driverBundles();
        assertEquals("installed " + DRIVER_BSN + " bundles after bind\n" + state(), 1, again.size());
        assertTrue("bind did not install " + DRIVER_BSN + " from the repository: " + again.get(0).getLocation(),
                again.get(0).getLocation().startsWith(REPOSITORY_LOCATION));
        assertNotEquals("the NetworkDevice service of " + a + " after bind is the one from before the uninstall",
                firstServiceA, reference(a).getProperty(Constants.SERVICE_ID));
        FrameLog rxA = listen(portA);
        FrameLog rxB = listen(portB);
        String aToB = tag("a>b after bind");
        String bToA = tag("b>a after bind");
        List<byte[]> sentByA = transmitSeries(portA, b.mac(), aToB, FRAMES);
        List<byte[]> sentByB = transmitSeries(portB, a.mac(), bToA, FRAMES);
        assertReceivedExactly("frames " + a + " sent to " + b + " after bind", rxB, aToB, sentByA);
        assertReceivedExactly("frames " + b + " sent to " + a + " after bind", rxA, bToA, sentByB);
    }
}
