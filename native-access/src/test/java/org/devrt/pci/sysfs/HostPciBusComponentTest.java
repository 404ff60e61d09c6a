package org.devrt.pci.sysfs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.devrt.pci.PciBus;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

public class HostPciBusComponentTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** What the fake framework was asked to register, and whether it was unregistered. */
    private static final class Registered {
        Object service;
        Dictionary<String, ?> properties;
        boolean unregistered;
    }

    private final List<Registered> registered = new ArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Registered r = new Registered();
                    r.service = args[1];
                    r.properties = (Dictionary<String, ?>) args[2];
                    registered.add(r);
                    return Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                if (m.getName().equals("unregister")) {
                                    r.unregistered = true;
                                    return null;
                                }
                                throw new UnsupportedOperationException(m.getName());
                            });
                });
    }

    /** The configuration: the annotation's defaults, overridden by {@code values}. */
    private static HostPciBusComponent.Config config(Object... values) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < values.length; i += 2) {
            map.put((String) values[i], values[i + 1]);
        }
        return (HostPciBusComponent.Config) Proxy.newProxyInstance(HostPciBusComponent.Config.class.getClassLoader(),
                new Class<?>[] {HostPciBusComponent.Config.class},
                (proxy, method, args) -> {
                    Object value = map.getOrDefault(method.getName(), method.getDefaultValue());
                    // converted at the call, as SCR does: a text that is not a number throws here
                    return method.getReturnType() == int.class && value instanceof String
                            ? Integer.valueOf((String) value) : value;
                });
    }

    @Test
    public void defaultsReadTheRealSysfs() {
        HostPciBusComponent.Config defaults = config();
        assertEquals(true, defaults.enabled());
        assertEquals("/sys/bus/pci/devices", defaults.sysfsRoot());
        assertEquals(0, defaults.rescanIntervalSeconds());
    }

    @Test
    public void registersTheScannedBusWithBusIdHost() {
        SysfsFixture sysfs = new SysfsFixture(temp.getRoot().toPath()).sampleMachine();
        HostPciBusComponent component = new HostPciBusComponent();
        component.activate(context(), config("sysfsRoot", sysfs.devicesRoot().toString()), Map.of());

        assertEquals(1, registered.size());
        PciBus bus = (PciBus) registered.get(0).service;
        assertSame(component.bus(), bus);
        assertEquals("host", registered.get(0).properties.get(PciBus.BUS_ID));
        assertEquals("host", bus.id());
        assertEquals("host PCI (sysfs, read-only), 3 functions", bus.description());

        component.deactivate();
        assertTrue(registered.get(0).unregistered);
        assertNull(component.bus());
    }

    @Test
    public void registersAnEmptyBusWhereThereIsNoSysfs() {
        HostPciBusComponent component = new HostPciBusComponent();
        Path nowhere = temp.getRoot().toPath().resolve("not-linux/sys/bus/pci/devices");
        component.activate(context(), config("sysfsRoot", nowhere.toString()), Map.of());
        assertEquals(1, registered.size());
        PciBus bus = (PciBus) registered.get(0).service;
        assertEquals(List.of(), bus.functions());
        assertEquals("host PCI (sysfs, read-only), 0 functions", bus.description());
        component.deactivate();
    }

    @Test
    public void registersNothingWhenDisabled() {
        HostPciBusComponent component = new HostPciBusComponent();
        component.activate(context(), config("enabled", false), Map.of());
        assertEquals(List.of(), registered);
        component.deactivate();
    }

    @Test
    public void anIntervalThatIsNotANumberLeavesTheDefaultAndTheBusIsRegistered() {
        SysfsFixture sysfs = new SysfsFixture(temp.getRoot().toPath()).sampleMachine();
        HostPciBusComponent component = new HostPciBusComponent();
        component.activate(context(), config("sysfsRoot", sysfs.devicesRoot().toString(), "rescanIntervalSeconds",
                "soon"), Map.of("service.pid", HostPciBusComponent.PID, "rescanIntervalSeconds", "soon"));
        assertEquals("the host bus is registered all the same", 1, registered.size());
        assertEquals(3, ((PciBus) registered.get(0).service).functions().size());
        component.deactivate();
    }

    @Test
    public void aConfiguredIntervalRescansByItself() throws Exception {
        SysfsFixture sysfs = new SysfsFixture(temp.getRoot().toPath()).sampleMachine();
        HostPciBusComponent component = new HostPciBusComponent();
        component.activate(context(), config("sysfsRoot", sysfs.devicesRoot().toString(), "rescanIntervalSeconds", 1),
                Map.of());
        try {
            sysfs.unplug("0000:00:02.0");
            PciBus bus = component.bus();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (bus.functions().size() != 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(2, bus.functions().size());
        } finally {
            component.deactivate();
        }
    }
}
