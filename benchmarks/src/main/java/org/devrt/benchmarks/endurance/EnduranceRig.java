package org.devrt.benchmarks.endurance;

import java.io.OutputStream;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.devrt.benchmarks.hotplug.EmbeddedRuntime;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The runtime of run.jar booted in this JVM (in {@code dir}, whose conf/ holds only the device manager's
 * configuration: no function is plugged at boot), its device manager using the real driver repository
 * (runtime/target/drivers), and what the suite does to it: plug and unplug functions through the
 * EmulatedMachine service, uninstall and install driver bundles by hand, and wait for the drivers' device
 * services and the VFS's mounts to come or go.
 */
final class EnduranceRig implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 30;

    private final Path dir;
    private final EmbeddedRuntime runtime;
    private final BundleContext context;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();
    private final Map<String, Path> driverJars;
    private final Object machine;
    private final Method plug;
    private final Method unplug;
    private final Method parseAddress;
    private final Object inventory;
    private final Method devices;
    private final Method statusDevice;
    private final Method statusState;
    private final Object commandProcessor;
    private final Method createSession;
    private final Method execute;
    private final Method closeSession;
    final VfsApi vfs;

    EnduranceRig(Path dir) throws Exception {
        this.dir = dir;
        Path drivers = EmbeddedRuntime.runJar().resolveSibling("drivers");
        driverJars = driverJars(drivers);
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("devrt.devicemanager.cfg"), "# Written by the endurance suite\n"
                + "repository = " + drivers.resolve("index.xml") + "\n"
                + "attachTimeoutMillis = 10000\nmaxAttempts = 3\nretryBackoffMillis = 200\n"
                + "# unused drivers stay: only the suite uninstalls them\ndriverGraceSeconds = 3600\n", UTF_8);
        runtime = EmbeddedRuntime.boot(dir, Set.of());
        context = runtime.context();
        try {
            ServiceReference<?> m = awaitService("org.devrt.emulator.EmulatedMachine");
            machine = context.getService(m);
            Bundle emulator = m.getBundle();
            plug = Stream.of(emulator.loadClass("org.devrt.emulator.EmulatedMachine").getMethods())
                    .filter(x -> x.getName().equals("plug")).findFirst().orElseThrow();
            unplug = Reflect.method(emulator, "org.devrt.emulator.EmulatedMachine", "unplug", plug.getParameterTypes()[0]);
            parseAddress = plug.getParameterTypes()[0].getMethod("parse", String.class);
            ServiceReference<?> i = awaitService("org.devrt.device.DeviceInventory");
            inventory = context.getService(i);
            devices = Reflect.method(i.getBundle(), "org.devrt.device.DeviceInventory", "devices");
            statusDevice = Reflect.method(i.getBundle(), "org.devrt.device.DeviceStatus", "deviceId");
            statusState = Reflect.method(i.getBundle(), "org.devrt.device.DeviceStatus", "state");
            ServiceReference<?> v = awaitService("org.devrt.vfs.Vfs");
            vfs = new VfsApi(context.getService(v), v.getBundle());
            ServiceReference<?> c = awaitService("org.apache.felix.service.command.CommandProcessor");
            commandProcessor = context.getService(c);
            createSession = Reflect.method(c.getBundle(), "org.apache.felix.service.command.CommandProcessor",
                    "createSession", InputStream.class, OutputStream.class, OutputStream.class);
            execute = Reflect.method(c.getBundle(), "org.apache.felix.service.command.CommandSession", "execute",
                    CharSequence.class);
            closeSession = Reflect.method(c.getBundle(), "org.apache.felix.service.command.CommandSession", "close");
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** The driver bundles of the repository folder, by symbolic name. */
    private static Map<String, Path> driverJars(Path folder) throws IOException {
        Map<String, Path> jars = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (JarFile jar = new JarFile(f.toFile())) {
                    String bsn = jar.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
                    if (bsn != null) {
                        jars.put(bsn.split(";")[0].trim(), f);
                    }
                }
            }
        }
        for (String bsn : List.of(Function.AHCI_DRIVER, Function.ETHERNET_DRIVER)) {
            if (!jars.containsKey(bsn)) {
                throw new IllegalStateException("no " + bsn + " jar in " + folder + " (build the runtime module)");
            }
        }
        return jars;
    }

    /** Waits for a service of {@code objectClass} (any class space) and keeps it tracked. */
    ServiceReference<?> awaitService(String objectClass) throws Exception {
        ServiceTracker<Object, Object> t = new ServiceTracker<>(context,
                context.createFilter("(objectClass=" + objectClass + ")"), null);
        t.open(true);
        trackers.add(t);
        if (t.waitForService(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)) == null) {
            throw new IllegalStateException("no " + objectClass + " service within " + TIMEOUT_SECONDS + " s\n"
                    + diagnosis());
        }
        return t.getServiceReference();
    }

    BundleContext context() {
        return context;
    }

    Path dir() {
        return dir;
    }

    // ---- functions ------------------------------------------------------------------------------------------

    void plug(Function f) throws Exception {
        Reflect.call(plug, machine, Reflect.call(parseAddress, null, f.slot()), f.model(), f.options());
    }

    void unplug(Function f) throws Exception {
        Reflect.call(unplug, machine, Reflect.call(parseAddress, null, f.slot()));
    }

    /**
     * Runs a command line in a Gogo session of the runtime, as a person at its shell would; returns what the
     * command returned and printed.
     */
    String shell(String commandLine) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Object session = Reflect.call(createSession, commandProcessor, new ByteArrayInputStream(new byte[0]), printed,
                printed);
        try {
            Object returned = Reflect.call(execute, session, commandLine);
            return (returned == null ? "" : returned + "\n") + printed.toString(UTF_8);
        } finally {
            Reflect.call(closeSession, session);
        }
    }

    /** How many device services the function's driver has registered for it now. */
    int deviceServices(Function f) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, f.serviceFilter());
        return refs == null ? 0 : refs.length;
    }

    /** The device manager's state of the function's device (BOUND, NO_DRIVER...), or "absent". */
    String deviceState(Function f) throws Exception {
        for (Object status : (List<?>) Reflect.call(devices, inventory)) {
            String id = String.valueOf(Reflect.call(statusDevice, status));
            if (id.startsWith("emulated/") && id.endsWith(f.slot())) {
                return String.valueOf(Reflect.call(statusState, status));
            }
        }
        return "absent";
    }

    /**
     * Waits until the function has its device service (and, for a disk, its volume mounted) and the device manager
     * has it BOUND (the service is up before the manager's attach has returned), or until it has no device service
     * (and no volume mounted).
     */
    void awaitDevice(Function f, boolean present) throws Exception {
        String what = f.name() + (present ? ": BOUND, its device service" : ": no device service")
                + (f.serviceType().equals("block") ? (present ? " and its volume mounted" : " and no volume mounted") : "");
        await(what, () -> {
            try {
                boolean service = deviceServices(f) > 0;
                boolean ready = service == present;
                if (ready && f.serviceType().equals("block")) {
                    ready = vfs.mountPoints(f.slot()).isEmpty() != present;
                }
                return ready && (!present || deviceState(f).equals("BOUND"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ---- driver bundles -------------------------------------------------------------------------------------

    /** The installed bundles of that symbolic name. */
    List<Bundle> bundles(String bsn) {
        return Stream.of(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).toList();
    }

    /** Uninstalls every installed bundle of the driver, as a user would (the manager will not reinstall it). */
    void uninstallDriver(String bsn) throws Exception {
        List<Bundle> installed = bundles(bsn);
        if (installed.isEmpty()) {
            throw new IllegalStateException(bsn + " is not installed\n" + diagnosis());
        }
        for (Bundle b : installed) {
            b.uninstall();
        }
    }

    /** Installs the repository's jar of the driver by hand and starts it: the manager attaches its devices to it. */
    void installDriver(String bsn) throws Exception {
        context.installBundle(driverJars.get(bsn).toUri().toString()).start();
    }

    // ---- waiting and diagnosis ------------------------------------------------------------------------------

    void await(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + TIMEOUT_SECONDS + " s\n" + diagnosis());
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** The devices, the driver bundles, the mounts and the end of the runtime's log, for a failure's message. */
    String diagnosis() {
        StringBuilder out = new StringBuilder();
        try {
            out.append("devices: ").append(devices == null ? "-" : Reflect.call(devices, inventory)).append('\n');
        } catch (Exception e) {
            out.append("devices: ").append(e).append('\n');
        }
        out.append("driver bundles: ").append(Stream.of(context.getBundles())
                .filter(b -> driverJars != null && driverJars.containsKey(b.getSymbolicName()))
                .map(b -> "[" + b.getBundleId() + "] " + b.getSymbolicName() + " state " + b.getState())
                .collect(Collectors.joining(", "))).append('\n');
        try {
            out.append("mounts: ").append(vfs == null ? "-" : vfs.mountsText()).append('\n');
        } catch (Exception e) {
            out.append("mounts: ").append(e).append('\n');
        }
        out.append(EmbeddedRuntime.logTail(dir, 25));
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        trackers.forEach(ServiceTracker::close);
        runtime.close();
    }
}
