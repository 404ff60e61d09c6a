package org.devrt.system.internal.diag;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Optional;

import org.devrt.device.DeviceInventory;
import org.devrt.device.DeviceState;
import org.devrt.device.DeviceStatus;
import org.devrt.registry.fakes.FakeBundle;
import org.devrt.registry.fakes.FakeBundleContext;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;

public class DiagCommandTest {
    private final FakeBundle system = new FakeBundle(0, "org.apache.felix.framework")
            .location(Constants.SYSTEM_BUNDLE_LOCATION);
    private final FakeBundleContext context = new FakeBundleContext(system);
    private final DiagCommand command = new DiagCommand();

    {
        system.adaptsTo(FrameworkWiring.class, new FakeFrameworkWiring(system));
        command.scr = new FakeServiceComponentRuntime();
        command.activate(context);
    }

    @Test
    public void withoutArgumentsItGivesTheOverview() {
        assertEquals("all 1 bundles active, all 0 components satisfied\n", command.diag());
    }

    @Test
    public void theOverviewNamesEachDeviceWhoseDriverFailedOrThatIsQuarantinedWithItsReason() {
        List<DeviceStatus> all = List.of(
            new DeviceStatus("emulated/0000:00:03.0", DeviceState.BOUND, "e1000", null),
            new DeviceStatus("emulated/0000:00:04.0", DeviceState.FAILED, "e1000", "attach timed out; retry 1 of 2"),
            new DeviceStatus("emulated/0000:00:1f.2", DeviceState.QUARANTINED, "ahci", "cannot install driver"),
            new DeviceStatus("host/0000:00:00.0", DeviceState.NO_DRIVER, null, "no driver matches"));
        command.devices = new DeviceInventory() {
            @Override
            public List<DeviceStatus> devices() {
                return all;
            }

            @Override
            public Optional<DeviceStatus> device(String deviceId) {
                return all.stream().filter(d -> d.deviceId().equals(deviceId)).findFirst();
            }

            @Override
            public void bind(String deviceId) {
            }

            @Override
            public void unbind(String deviceId) {
            }
        };

        assertEquals("device emulated/0000:00:04.0 is FAILED: attach timed out; retry 1 of 2\n"
            + "device emulated/0000:00:1f.2 is QUARANTINED: cannot install driver\n"
            + "all 1 bundles active, all 0 components satisfied\n", command.diag());
    }

    @Test
    public void helpPrintsUsage() {
        assertEquals(DiagCommand.USAGE, command.diag("-h"));
        assertEquals(DiagCommand.USAGE, command.diag("0", "--help"));
    }

    @Test
    public void anUnknownOptionIsNamed() {
        assertEquals("diag: unknown option '-v'\n" + DiagCommand.USAGE, command.diag("-v"));
    }

    @Test
    public void itListensForFrameworkErrorsWhileActive() {
        assertEquals(1, context.frameworkListenerCount());

        command.deactivate();

        assertEquals(0, context.frameworkListenerCount());
    }
}
