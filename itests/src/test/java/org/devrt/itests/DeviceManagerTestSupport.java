package org.devrt.itests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceInventory;
import org.devrt.device.DeviceService;
import org.devrt.device.DeviceServiceRegistry;
import org.devrt.device.DeviceState;
import org.devrt.device.DeviceStatus;
import org.devrt.emulator.EmulatedMachine;
import org.devrt.itests.testdriver.DriverTrace;
import org.devrt.itests.testdriver.TestDriverActivator;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;
import org.junit.After;
import org.junit.Before;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The device manager with driver bundles built for the tests. Before the framework boots, the class's drivers
 * ({@link #drivers()}) are written into target/repos/&lt;TestClass&gt; with an index, and this class's copy of
 * conf/ gets a {@code devrt.devicemanager.cfg} that points the manager at it; so the configuration is the test's
 * from the first moment, whatever the runtime's conf/ says. Each test plugs generic functions into the emulated
 * machine; they are unplugged after it. The machine also has the functions of the runtime's conf/ (the AHCI
 * controller at 00:1f.2, on its own image: see {@link #diskImages()}); the test repository has no driver for them.
 */
public abstract class DeviceManagerTestSupport extends RuntimeTestSupport {
    static final String MANAGER_PID = "devrt.devicemanager";
    static final String REPOSITORY_LOCATION = "devrt-repository:";
    static final String TRACE_CLASS = "org.devrt.itests.testdriver.DriverTrace";

    protected DeviceInventory inventory;
    protected EmulatedMachine machine;
    protected DeviceServiceRegistry deviceServices;
    /** Every devrt/* event posted during the test. */
    protected final List<Event> events = new CopyOnWriteArrayList<>();
    /** Every bundle installed during the test, as "bsn location". */
    protected final List<String> installs = new CopyOnWriteArrayList<>();
    private final Map<String, PciFunction> plugged = new LinkedHashMap<>();
    private ServiceRegistration<EventHandler> eventHandler;
    private final BundleListener installListener = e -> {
        if (e.getType() == BundleEvent.INSTALLED) {
            installs.add(e.getBundle().getSymbolicName() + " " + e.getBundle().getLocation());
        }
    };

    /** The driver bundles of this class: all built, most indexed in the test repository. */
    protected abstract List<DriverBundle> drivers();

    /** The device manager's configuration for this class (the repository is added). */
    protected Map<String, String> managerConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("attachTimeoutMillis", "2000");
        config.put("maxAttempts", "3");
        config.put("retryBackoffMillis", "50");
        config.put("driverGraceSeconds", "3600");
        return config;
    }

    @Override
    protected void prepareConf(Path conf) throws IOException {
        Path index = DriverRepository.write(repositoryDir(), drivers());
        StringBuilder cfg = new StringBuilder("# Written by " + getClass().getName() + ": its test driver repository.\n");
        cfg.append("repository = ").append(index).append('\n');
        managerConfig().forEach((k, v) -> cfg.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(conf.resolve(MANAGER_PID + ".cfg"), cfg, UTF_8);
    }

    /** target/repos/&lt;TestClass&gt;: the test repository, in and outside the framework. */
    protected Path repositoryDir() {
        return Path.of(System.getProperty("devrt.itests.dir"), "repos", getClass().getSimpleName());
    }

    protected Path indexFile() {
        return repositoryDir().resolve(DriverRepository.INDEX);
    }

    @Before
    public void deviceManagerConfiguredForTheTestRepository() throws Exception {
        awaitRuntimeStarted();
        context.addBundleListener(installListener);
        Dictionary<String, Object> topics = new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, "devrt/*"));
        eventHandler = context.registerService(EventHandler.class, events::add, topics);
        inventory = awaitService(DeviceInventory.class, "(repository=" + filterValue(indexFile().toString()) + ")");
        assertNotNull("the device manager (" + MANAGER_PID + ") did not get the test configuration (repository="
                + indexFile() + ") within " + TIMEOUT + "; DeviceInventory services: " + inventoryServices(), inventory);
        machine = awaitService(EmulatedMachine.class, null);
        assertNotNull("no EmulatedMachine service (devrt.emulator)", machine);
        deviceServices = awaitService(DeviceServiceRegistry.class, null);
        assertNotNull("no DeviceServiceRegistry service (devrt.service-registry)", deviceServices);
        awaitCommand("devrt", "lspci", "devrt.device-manager");
    }

    @After
    public void unplugWhatTheTestPlugged() throws Exception {
        try {
            List<String> ids = new ArrayList<>(plugged.keySet());
            Collections.reverse(ids);
            for (String id : ids) {
                try {
                    machine.unplug(plugged.get(id).address());
                } catch (IllegalArgumentException alreadyUnplugged) {
                    // the test unplugged it
                }
            }
            for (String id : ids) {
                await(id + " gone from the inventory after the test unplugged it", () -> inventory.device(id).isEmpty());
            }
        } finally {
            plugged.clear();
            if (eventHandler != null) {
                eventHandler.unregister();
            }
            context.removeBundleListener(installListener);
        }
    }

    // ---- devices ------------------------------------------------------------------------------------------

    /** Plugs a {@code generic} function at {@code slot} (e.g. 00:10.0) with these ids; returns its device id. */
    protected String plug(String slot, int vendor, int device, int classCode) {
        return plug(slot, Map.of("vendor", hex(vendor), "device", hex(device), "class", hex(classCode)));
    }

    private String plug(String slot, Map<String, String> options) {
        PciFunction f = machine.plug(PciAddress.parse(slot), "generic", options);
        String id = f.busId() + "/" + f.address();
        plugged.put(id, f);
        return id;
    }

    /** The function this test plugged as {@code deviceId}. */
    protected PciFunction function(String deviceId) {
        return plugged.get(deviceId);
    }

    protected void unplug(String deviceId) {
        machine.unplug(plugged.get(deviceId).address());
    }

    /** Waits until the device is in {@code state}; fails with the devices, services and drivers if it is not. */
    protected DeviceStatus awaitState(String deviceId, DeviceState state) throws InterruptedException {
        return awaitDevice(deviceId, state.name(), s -> s.state() == state);
    }

    protected DeviceStatus awaitDevice(String deviceId, String expected, Predicate<DeviceStatus> ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Optional<DeviceStatus> s = inventory.device(deviceId);
        while (s.isEmpty() || !ok.test(s.get())) {
            if (System.nanoTime() > deadline) {
                fail(deviceId + " is not " + expected + " after " + TIMEOUT.toSeconds() + " s: it is "
                        + s.map(DeviceManagerTestSupport::describe).orElse("not in the inventory") + "\n" + state());
            }
            Thread.sleep(20);
            s = inventory.device(deviceId);
        }
        return s.get();
    }

    // ---- drivers and device services ------------------------------------------------------------------------

    /** The installed bundles with this symbolic name. */
    protected List<Bundle> bundles(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).toList();
    }

    /** The installed bundle of {@code driver} (name and version), or null. */
    protected Bundle installed(DriverBundle driver) {
        return bundles(driver.symbolicName()).stream()
                .filter(b -> b.getVersion().toString().equals(driver.version())).findFirst().orElse(null);
    }

    /** Installs and starts {@code driver}'s jar from the test repository folder as a user would (file: location). */
    protected Bundle installByHand(DriverBundle driver) throws Exception {
        Bundle b = context.installBundle(repositoryDir().resolve(driver.fileName()).toUri().toString());
        b.start();
        return b;
    }

    /** The OSGi services with {@code devrt.device.id=deviceId}. */
    protected List<ServiceReference<?>> servicesOf(String deviceId) {
        return references(null, "(" + DeviceService.DEVICE_ID + "=" + filterValue(deviceId) + ")");
    }

    /** The properties of the {@link DriverTrace} of {@code driver}'s installed bundle; empty if it has none. */
    protected Map<String, Object> trace(DriverBundle driver) {
        Bundle b = installed(driver);
        if (b == null) {
            return Map.of();
        }
        for (ServiceReference<?> ref : references(TRACE_CLASS, "(" + DriverTrace.DRIVER_ID + "=" + driver.driverId() + ")")) {
            if (ref.getBundle() != null && ref.getBundle().getBundleId() == b.getBundleId()) {
                Map<String, Object> props = new LinkedHashMap<>();
                for (String key : ref.getPropertyKeys()) {
                    props.put(key, ref.getProperty(key));
                }
                return props;
            }
        }
        return Map.of();
    }

    protected int traceCount(DriverBundle driver, String key) {
        Object v = trace(driver).get(key);
        return v instanceof Integer i ? i : 0;
    }

    /**
     * The services of {@code objectClass} (any if null) that match {@code filter}, whatever class space they are
     * in: the probe holds its own (never loaded) copy of the test driver package, so the framework would hide the
     * drivers' {@code TestDevice} and {@code DriverTrace} services from {@code getServiceReferences}.
     */
    protected List<ServiceReference<?>> references(String objectClass, String filter) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(objectClass, filter);
            return refs == null ? List.of() : List.of(refs);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
    }

    // ---- events -------------------------------------------------------------------------------------------

    /** The events of this test about {@code deviceId}, in the order EventAdmin delivered them. */
    protected List<Event> eventsOf(String deviceId) {
        return events.stream().filter(e -> deviceId.equals(e.getProperty(DeviceEvents.DEVICE_ID))).toList();
    }

    /** "TOPIC STATE" of each event of {@code deviceId}, e.g. "devrt/device/STATE FAILED". */
    protected List<String> eventNames(String deviceId) {
        return eventsOf(deviceId).stream().map(e -> e.getTopic()
                + (e.getProperty(DeviceEvents.STATE) == null ? "" : " " + e.getProperty(DeviceEvents.STATE))).toList();
    }

    // ---- what failure messages show -----------------------------------------------------------------------

    /** The emulated devices, the device services, the test driver bundles and the recent device events. */
    @Override
    protected String state() {
        StringBuilder out = new StringBuilder("devices (emulated bus):\n");
        List<DeviceStatus> devices = inventory == null ? List.of() : inventory.devices();
        devices.stream().filter(s -> s.deviceId().startsWith("emulated/"))
                .forEach(s -> out.append("  ").append(describe(s)).append('\n'));
        out.append("device services:\n");
        if (deviceServices != null) {
            deviceServices.all().forEach(r -> out.append(String.format("  [%d] %s type %s driver %s from %s [%d]%n",
                    r.serviceId(), r.deviceId(), r.type(), r.driverId(), r.bundleSymbolicName(), r.bundleId())));
        }
        out.append("driver bundles:\n");
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(REPOSITORY_LOCATION) || b.getHeaders().get(TestDriverActivator.DRIVER_ID) != null) {
                out.append(String.format("  [%d] %s %s %s %s%n", b.getBundleId(), b.getSymbolicName(), b.getVersion(),
                        stateName(b), b.getLocation()));
            }
        }
        List<Event> emulated = events.stream()
                .filter(e -> String.valueOf(e.getProperty(DeviceEvents.DEVICE_ID)).startsWith("emulated/")).toList();
        List<Event> recent = emulated.subList(Math.max(0, emulated.size() - 30), emulated.size());
        out.append("last events of emulated devices:\n");
        recent.forEach(e -> out.append("  ").append(e.getTopic()).append(' ').append(e.getProperty(DeviceEvents.DEVICE_ID))
                .append(e.getProperty(DeviceEvents.STATE) == null ? "" : " " + e.getProperty(DeviceEvents.STATE) + " '"
                        + e.getProperty(DeviceEvents.REASON) + "'")
                .append('\n'));
        return out.toString();
    }

    static String describe(DeviceStatus s) {
        return s.deviceId() + " " + s.state() + " driver " + (s.driverId().isEmpty() ? "-" : s.driverId())
                + (s.reason().isEmpty() ? "" : " (" + s.reason() + ")");
    }

    private String inventoryServices() {
        return references(DeviceInventory.class.getName(), null).stream()
                .map(r -> "repository=" + r.getProperty("repository")).collect(Collectors.joining(", ", "[", "]"));
    }

    static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }

    /** {@code value} escaped for an LDAP filter. */
    static String filterValue(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
