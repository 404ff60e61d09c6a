package org.devrt.benchmarks.hotplug;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The embedded runtime with the benchmark's driver repository, and what the benchmarks do to it: plug a
 * {@code generic} function that only the benchmark's driver matches into the emulated machine, wait for the
 * driver's device service, unplug it and wait for the device manager to be done with it.
 *
 * <p>Everything goes through the system bundle's context. This class space has no org.devrt packages, so the
 * devrt services are called by reflection, through Method objects looked up once, and the device service is
 * watched with an {@link AllServiceListener} (the framework would hide it from a plain ServiceListener: the
 * benchmark jar on the class path has its own copy of the driver's package).
 */
final class HotPlugRig implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 30;
    static final String MANAGER_BSN = "devrt.device-manager";
    private static final String SLOT = "00:10.0";
    private static final String DEVICE_SERVICES = "(&(devrt.device.id=*)(devrt.driver.id=" + DriverRepository.DRIVER_ID + "))";

    private final Path dir;
    private final Path driverJar;
    private final long graceSeconds;
    private final EmbeddedRuntime runtime;
    private final BundleContext context;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();
    private final AllServiceListener deviceListener = this::deviceServiceChanged;
    private final BundleListener bundleListener = this::bundleChanged;
    private final Object machine;
    private final Method plug;
    private final Method unplug;
    private final Object address;
    private final Map<String, String> options = Map.of("vendor", hex(DriverRepository.VENDOR),
            "device", hex(DriverRepository.DEVICE));
    private final Object inventory;
    private final Method device;
    private final Method devices;
    private final Method state;
    private volatile CountDownLatch attached = new CountDownLatch(1);
    private volatile CountDownLatch detached = new CountDownLatch(1);
    private volatile CountDownLatch uninstalled = new CountDownLatch(1);
    private volatile String deviceId;
    private boolean plugged;

    /** The runtime, its device manager using the benchmark's repository with this grace period for unused drivers. */
    static HotPlugRig withManager(long driverGraceSeconds) throws Exception {
        return new HotPlugRig(driverGraceSeconds, true);
    }

    /** The runtime with the device manager installed but not started: nothing reacts to driver bundles. */
    static HotPlugRig withoutManager() throws Exception {
        return new HotPlugRig(0, false);
    }

    private HotPlugRig(long graceSeconds, boolean manager) throws Exception {
        this.graceSeconds = graceSeconds;
        dir = Files.createTempDirectory("devrt-hotplug-");
        Path index = DriverRepository.write(dir.resolve("repository"));
        driverJar = index.resolveSibling(DriverRepository.fileName());
        writeConf(Files.createDirectories(dir.resolve("conf")), index);
        runtime = EmbeddedRuntime.boot(dir, manager ? Set.of() : Set.of(MANAGER_BSN));
        context = runtime.context();
        try {
            context.addServiceListener(deviceListener, DEVICE_SERVICES);
            context.addBundleListener(bundleListener);

            ServiceTracker<?, ?> machineTracker = track("org.devrt.emulator.EmulatedMachine", "");
            machine = machineTracker.getService();
            Class<?> machineApi = machineTracker.getServiceReference().getBundle().loadClass("org.devrt.emulator.EmulatedMachine");
            plug = Stream.of(machineApi.getMethods()).filter(m -> m.getName().equals("plug")).findFirst().orElseThrow();
            unplug = machineApi.getMethod("unplug", plug.getParameterTypes()[0]);
            address = plug.getParameterTypes()[0].getMethod("parse", String.class).invoke(null, SLOT);
            if (manager) {
                ServiceTracker<?, ?> t = track("org.devrt.device.DeviceInventory", "(repository=" + filterValue(index.toString()) + ")");
                inventory = t.getService();
                Bundle api = t.getServiceReference().getBundle();
                device = api.loadClass("org.devrt.device.DeviceInventory").getMethod("device", String.class);
                devices = api.loadClass("org.devrt.device.DeviceInventory").getMethod("devices");
                state = api.loadClass("org.devrt.device.DeviceStatus").getMethod("state");
            } else {
                inventory = null;
                device = devices = state = null;
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** conf/ holds only the device manager's configuration (so the machine starts without functions). */
    private void writeConf(Path conf, Path index) throws IOException {
        String cfg = "# Written by the hot-plug benchmark\n"
                + "repository = " + index + "\n"
                + "attachTimeoutMillis = 10000\n"
                + "maxAttempts = 3\n"
                + "retryBackoffMillis = 200\n"
                + "driverGraceSeconds = " + graceSeconds + "\n";
        Files.writeString(conf.resolve("devrt.devicemanager.cfg"), cfg, UTF_8);
    }

    private ServiceTracker<?, ?> track(String objectClass, String filter) throws Exception {
        ServiceTracker<Object, Object> t = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + objectClass + ")" + filter + ")"), null);
        t.open(true);
        trackers.add(t);
        if (t.waitForService(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)) == null) {
            throw new IllegalStateException("no " + objectClass + " service " + filter + " within " + TIMEOUT_SECONDS
                    + " s\n" + diagnosis());
        }
        return t;
    }

    BundleContext context() {
        return context;
    }

    // ---- hot plug -------------------------------------------------------------------------------------------

    /** Plugs the function, then waits for the driver's device service: the measured step. */
    void plugAndAwaitAttached() throws Exception {
        plug.invoke(machine, address, "generic", options);
        plugged = true;
        await(attached, "the driver's device service after plug");
    }

    /**
     * Readies the next plug: lets the device manager finish binding (BOUND), unplugs, waits for the device
     * service to go and, when unused drivers have no grace period, for the manager to uninstall the driver
     * bundle; then arms the wait for the next attach. Outside the measured time.
     */
    void unplugAndSettle() throws Exception {
        if (plugged) {
            awaitBound();
            detached = new CountDownLatch(1);
            uninstalled = new CountDownLatch(1);
            unplug.invoke(machine, address);
            plugged = false;
            await(detached, "the device service to go after unplug");
            if (graceSeconds == 0) {
                await(uninstalled, "the device manager to uninstall the unused driver bundle (driverGraceSeconds = 0)");
            }
        }
        attached = new CountDownLatch(1);
    }

    private void awaitBound() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!"BOUND".equals(deviceState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(deviceId + " not BOUND within " + TIMEOUT_SECONDS + " s\n" + diagnosis());
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private String deviceState() throws Exception {
        Optional<?> status = (Optional<?>) device.invoke(inventory, deviceId);
        return status.isEmpty() ? "absent" : String.valueOf(state.invoke(status.get()));
    }

    private void deviceServiceChanged(ServiceEvent e) {
        if (e.getType() == ServiceEvent.REGISTERED) {
            deviceId = (String) e.getServiceReference().getProperty("devrt.device.id");
            attached.countDown();
        } else if (e.getType() == ServiceEvent.UNREGISTERING) {
            detached.countDown();
        }
    }

    private void bundleChanged(BundleEvent e) {
        if (e.getType() == BundleEvent.UNINSTALLED && DriverRepository.BSN.equals(e.getBundle().getSymbolicName())) {
            uninstalled.countDown();
        }
    }

    // ---- the baseline ---------------------------------------------------------------------------------------

    /** Installs and starts the driver bundle from its file, as a user would (its PciDriver is up on return). */
    Bundle installAndStart() throws BundleException {
        Bundle b = context.installBundle(driverJar.toUri().toString());
        b.start();
        return b;
    }

    // ---- state ----------------------------------------------------------------------------------------------

    /** The driver bundles installed now. */
    List<Bundle> driverBundles() {
        return Stream.of(context.getBundles()).filter(b -> DriverRepository.BSN.equals(b.getSymbolicName())).toList();
    }

    /** The emulated machine's description: its functions and free DMA memory. */
    String machineDescription() throws Exception {
        return (String) machine.getClass().getMethod("description").invoke(machine);
    }

    private void await(CountDownLatch latch, String what) throws Exception {
        if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no " + what + " within " + TIMEOUT_SECONDS + " s\n" + diagnosis());
        }
    }

    /** The devices, the driver bundles and the end of the runtime's log, for a failure's message. */
    String diagnosis() {
        StringBuilder out = new StringBuilder();
        try {
            out.append("devices: ").append(devices == null ? "-" : devices.invoke(inventory)).append('\n');
        } catch (Exception e) {
            out.append("devices: ").append(e).append('\n');
        }
        out.append("driver bundles: ").append(driverBundles().stream()
                .map(b -> "[" + b.getBundleId() + "] state " + b.getState() + " " + b.getLocation())
                .collect(Collectors.joining(", "))).append('\n');
        out.append(EmbeddedRuntime.logTail(dir, 25));
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        try {
            trackers.forEach(ServiceTracker::close);
            runtime.close();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }

    private static String filterValue(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
