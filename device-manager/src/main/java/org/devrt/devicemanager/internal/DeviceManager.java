package org.devrt.devicemanager.internal;

import static org.devrt.device.DeviceState.ATTACHING;
import static org.devrt.device.DeviceState.BOUND;
import static org.devrt.device.DeviceState.FAILED;
import static org.devrt.device.DeviceState.INSTALLING;
import static org.devrt.device.DeviceState.MATCHING;
import static org.devrt.device.DeviceState.NO_DRIVER;
import static org.devrt.device.DeviceState.QUARANTINED;
import static org.devrt.device.DeviceState.REMOVED;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceInventory;
import org.devrt.device.DeviceService;
import org.devrt.device.DeviceState;
import org.devrt.device.DeviceStatus;
import org.devrt.devicemanager.internal.Matcher.Candidate;
import org.devrt.pci.DriverAttachment;
import org.devrt.pci.PciBus;
import org.devrt.pci.PciDriver;
import org.devrt.pci.PciFunction;
import org.devrt.registry.config.ComponentConfig;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device manager: keeps a record per PCI function of every bus, matches it against the drivers on offer
 * (installed bundles and the driver repository's index), installs and starts the chosen driver bundle when
 * needed, attaches it, and follows hot plug, driver departures and the user's decisions.
 *
 * <p>Threading: record state is guarded by {@code this}. Matching, installing and the state machine run on one
 * worker thread; a driver's {@code attach} runs on its own thread under a time-out; a driver's {@code detach}
 * runs on the thread that took the driver away (so a stopping driver bundle is detached before it stops).
 */
@Component(service = {DeviceInventory.class, DeviceManager.class}, immediate = true, configurationPid = DeviceManager.PID)
@Designate(ocd = DeviceManager.Config.class)
public final class DeviceManager implements DeviceInventory {
    static final String PID = "devrt.devicemanager";

    @ObjectClassDefinition(id = PID, name = "devrt device manager",
            description = "Matches PCI functions to driver bundles, installs them from the driver repository and attaches them.")
    @interface Config {
        @AttributeDefinition(description = "Location of the driver repository's index (index.xml, plain or gzipped): a URL, "
                + "or a path relative to the folder the runtime was started in. Empty: installed drivers only.")
        String repository() default "";

        @AttributeDefinition(description = "How long a driver's attach may take, in milliseconds.", min = "1")
        long attachTimeoutMillis() default 10_000;

        @AttributeDefinition(description = "How long an orderly removal (the emulator stopping, a function's configuration "
                + "changed) waits for the driver's detach while the device still answers, in milliseconds. A disk's "
                + "detach flushes its volumes, which the VFS waits for up to 60 s while the disk makes progress.",
                min = "1000")
        long detachTimeoutMillis() default 90_000;

        @AttributeDefinition(description = "Failed attaches in a row before a device is quarantined.", min = "1")
        int maxAttempts() default 3;

        @AttributeDefinition(description = "Delay before the first retry, in milliseconds; doubled at each retry.",
                min = "0")
        long retryBackoffMillis() default 200;

        @AttributeDefinition(description = "How long a driver bundle the manager installed may stay unused before it is "
                + "uninstalled, in seconds. Bundles a user installed are never uninstalled.", min = "0")
        long driverGraceSeconds() default 30;
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeviceManager.class);

    @Reference
    ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    private final Map<String, DeviceRecord> records = new TreeMap<>();
    private final Map<Long, Boolean> uninstallingByUs = new ConcurrentHashMap<>();
    private final Map<Long, ScheduledFuture<?>> graceTimers = new ConcurrentHashMap<>();
    private BundleContext context;
    private volatile Config config;
    private volatile Limits limits;

    /**
     * The time-outs and limits, each below its minimum (the metatype's, which SCR does not check) replaced by its
     * default and said once: the configuration check flagged attachTimeoutMillis = 0, and every attach then failed
     * "within 0 ms"; a negative backoff retried "in -200 ms".
     */
    record Limits(long attachTimeoutMillis, long detachTimeoutMillis, int maxAttempts, long retryBackoffMillis,
            long driverGraceSeconds) {
        static Limits of(Config c, String name, Consumer<String> warn) {
            return new Limits(atLeast(c.attachTimeoutMillis(), 1, "attachTimeoutMillis", name, warn),
                    atLeast(c.detachTimeoutMillis(), 1000, "detachTimeoutMillis", name, warn),
                    (int) atLeast(c.maxAttempts(), 1, "maxAttempts", name, warn),
                    atLeast(c.retryBackoffMillis(), 0, "retryBackoffMillis", name, warn),
                    atLeast(c.driverGraceSeconds(), 0, "driverGraceSeconds", name, warn));
        }

        private static long atLeast(long value, long min, String property, String name, Consumer<String> warn) {
            if (value >= min) {
                return value;
            }
            long fallback;
            try {
                fallback = ((Number) Config.class.getDeclaredMethod(property).getDefaultValue()).longValue();
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
            warn.accept(name + ": " + property + " = " + value + " is below its minimum " + min + "; its default "
                    + fallback + " is used instead");
            return fallback;
        }
    }
    /** The name of the worker thread, which runs every attach and detach. */
    static final String WORKER = "devrt-device-manager";
    /** The worker's thread, once it has started. */
    private volatile Thread workerThread;
    private Decisions decisions;
    private volatile DriverCatalog catalog;
    /**
     * Told when another driver repository is configured or its index read again (the readiness's problems), and when
     * a PCI bus is subscribed or let go (what the readiness waits for).
     */
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    /** service.id of each PCI bus service whose functions the manager has recorded, or could not get (BusTracker). */
    private final Set<Long> busesSeen = ConcurrentHashMap.newKeySet();
    private DriverInstaller installer;
    private ScheduledExecutorService worker;
    private ServiceTracker<PciBus, PciBus.Subscription> buses;
    private ServiceTracker<PciDriver, PciDriver> drivers;
    /** The drivers that are there, recorded before an arrival is evaluated. */
    private DriverTracker driverTracker;
    private volatile boolean ready;
    private final SynchronousBundleListener bundleListener = this::bundleChanged;
    private final FrameworkListener startListener = e -> {
        if (e.getType() == FrameworkEvent.STARTED) {
            frameworkStarted();
        }
    };

    @Activate
    void activate(BundleContext context, Config config, Map<String, Object> properties) {
        this.context = context;
        // Read again at each attach and retry: a value that does not convert must cost its property, not every attach.
        this.config = ComponentConfig.withDefaults(Config.class, config, properties, LOG);
        this.limits = Limits.of(this.config, ComponentConfig.name(properties), LOG::warn);
        this.decisions = new Decisions(configAdmin).load();
        this.catalog = new DriverCatalog(context, repositoryOrNone(config.repository()));
        this.installer = new DriverInstaller(context);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                r -> workerThread = daemon(r, WORKER));
        executor.setRemoveOnCancelPolicy(true); // a cancelled time-out must not keep its device reachable
        // At deactivation what is queued runs (the detaches), and retries, time-outs and grace timers are dropped.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.worker = executor;
        context.addBundleListener(bundleListener);
        driverTracker = new DriverTracker(this);
        drivers = new ServiceTracker<>(context, PciDriver.class, driverTracker);
        drivers.open();
        buses = new ServiceTracker<>(context, PciBus.class, new BusTracker(this));
        buses.open();
        context.addFrameworkListener(startListener);
        if (context.getBundle(0).getState() == Bundle.ACTIVE) {
            frameworkStarted();
        } else {
            LOG.info("waiting for the framework to finish starting before attaching drivers");
        }
    }

    /**
     * A changed configuration applies in place: the time-outs and limits to what comes next, a new repository to the
     * next match (its index is read at once and every device without a driver is matched again). Without this, SCR
     * would deactivate the manager and activate it again for a new time-out, detaching every driver.
     */
    @Modified
    void modified(Config changed, Map<String, Object> properties) {
        config = ComponentConfig.withDefaults(Config.class, changed, properties, LOG);
        limits = Limits.of(config, ComponentConfig.name(properties), LOG::warn);
        URI repository = repositoryOrNone(config.repository());
        if (!Objects.equals(repository, catalog.repository())) {
            catalog = new DriverCatalog(context, repository);
            worker.execute(this::evaluateAll);
            watchers.forEach(Runnable::run);
        }
    }

    void watch(Runnable watcher) {
        watchers.add(watcher);
    }

    void unwatch(Runnable watcher) {
        watchers.remove(watcher);
    }

    /** Called by the bus tracker once a bus's functions are recorded ({@code seen}) or have been removed. */
    void busSeen(ServiceReference<PciBus> ref, boolean seen) {
        Long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        if (seen) {
            busesSeen.add(id);
        } else {
            busesSeen.remove(id);
        }
        watchers.forEach(Runnable::run);
    }

    /**
     * The PCI buses registered whose functions the manager has not recorded yet, by bus id. Service events reach
     * their listeners one after another: a bus's functions, plugged as its service registered, can make another
     * listener's condition hold (the emulator's settled) before this manager's tracker has seen the bus, and
     * readiness was declared with the emulated devices unknown (the emulator started after the manager).
     */
    List<String> busesNotSeen() {
        ServiceReference<?>[] refs;
        try {
            refs = context.getServiceReferences(PciBus.class.getName(), null);
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e); // no filter
        } catch (IllegalStateException e) {
            return List.of(); // the manager is stopping
        }
        if (refs == null) {
            return List.of();
        }
        return Arrays.stream(refs).filter(ref -> !busesSeen.contains((Long) ref.getProperty(Constants.SERVICE_ID)))
                .map(ref -> String.valueOf(ref.getProperty(PciBus.BUS_ID))).sorted().toList();
    }

    /**
     * Detaches every driver before the manager goes: those of the buses' functions through the worker, as a removal
     * would (the buses are let go first), and waits for it; what the worker had scheduled for later (retries,
     * time-outs, grace periods) is dropped. Every driver's access must be closed here: the next manager (a new
     * configuration, a bundle restart) cannot give a device to a driver while an old grant holds it.
     */
    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(startListener);
        context.removeBundleListener(bundleListener);
        buses.close(); // each function's removal queues its detach on the worker
        List<DeviceRecord> bound;
        synchronized (this) {
            bound = new ArrayList<>(records.values());
            records.clear();
        }
        bound.forEach(r -> detach(r, "device manager stopped"));
        drivers.close();
        worker.shutdown();
        try {
            long timeout = limits.detachTimeoutMillis(); // as long as an orderly removal waits
            if (!worker.awaitTermination(timeout, TimeUnit.MILLISECONDS)) {
                LOG.warn("device manager stopping: a driver's detach still runs after {} ms; not waiting for it",
                        timeout);
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }

    /**
     * The configured repository as a location: a URL as written (characters a URI may not hold, such as a space,
     * quoted), else a file path; null for none.
     *
     * @throws IllegalArgumentException naming the value if it is neither
     */
    static URI repositoryLocation(String configured) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        if (configured.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*") && !configured.matches("[a-zA-Z]:\\\\.*")) {
            try {
                return URI.create(configured);
            } catch (IllegalArgumentException e) {
                int colon = configured.indexOf(':');
                try {
                    return new URI(configured.substring(0, colon), configured.substring(colon + 1), null);
                } catch (URISyntaxException again) {
                    throw new IllegalArgumentException("repository=" + configured + " is not a usable URL: "
                            + again.getMessage(), again);
                }
            }
        }
        try {
            return Path.of(configured).toAbsolutePath().normalize().toUri();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("repository=" + configured + " is not a usable path: " + e.getMessage(),
                    e);
        }
    }

    /** {@link #repositoryLocation}, or null with an error logged: a bad value costs the repository, not the manager. */
    private static URI repositoryOrNone(String configured) {
        try {
            return repositoryLocation(configured);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; no driver repository is used until the configuration is corrected", e.getMessage());
            return null;
        }
    }

    private void frameworkStarted() {
        if (!ready) {
            ready = true;
            worker.execute(() -> {
                evaluateAll();
                // driver bundles installed by an earlier run that no device takes now (its device went while devrt
                // was stopped, or it never registers its driver) get their grace period too: else they stayed for good
                scheduleGraceChecks();
            });
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ---- inventory --------------------------------------------------------------------------------------

    @Override
    public synchronized List<DeviceStatus> devices() {
        return records.values().stream().map(DeviceRecord::status).toList();
    }

    @Override
    public synchronized Optional<DeviceStatus> device(String deviceId) {
        return Optional.ofNullable(records.get(deviceId)).map(DeviceRecord::status);
    }

    /** The function of a device, for the shell. */
    synchronized Optional<PciFunction> function(String deviceId) {
        return Optional.ofNullable(records.get(deviceId)).map(r -> r.function);
    }

    /** The device record of a function, found by its id or its address (as lspci shows it), for the shell. */
    synchronized Optional<String> resolveId(String idOrAddress) {
        if (records.containsKey(idOrAddress)) {
            return Optional.of(idOrAddress);
        }
        return records.values().stream()
                .filter(r -> r.function.address().toString().equals(idOrAddress)
                        || r.function.address().toShortString().equals(idOrAddress))
                .sorted(Comparator.comparing((DeviceRecord r) -> !r.function.isAttachable()))
                .map(r -> r.id).findFirst();
    }

    @Override
    public void bind(String deviceId) {
        DeviceRecord r = require(deviceId);
        if (!r.function.isAttachable()) { // 'binding ...' promised what never happens there
            throw new IllegalArgumentException(r.id + " is on a read-only bus (" + r.function.busId()
                    + "): no driver attaches there");
        }
        synchronized (this) {
            decisions.setUnbound(r.id, false);
            if (!r.driverBsn.isEmpty()) {
                decisions.setUninstalled(r.driverBsn, false);
            }
            decisions.uninstalledBundles().forEach(bsn -> {
                if (catalog.offersFor(r.function).stream().anyMatch(o -> o.bsn().equals(bsn))) {
                    decisions.setUninstalled(bsn, false);
                }
            });
            r.heldForBsn = "";
            r.failures = 0;
            r.givenUp.clear();
            r.bindAsked = true;
            if (r.state == QUARANTINED || r.state == FAILED) {
                setState(r, NO_DRIVER, "bind requested");
            }
        }
        worker.execute(() -> {
            evaluate(r);
            synchronized (this) {
                r.bindAsked = false; // for this evaluation only
            }
        });
    }

    @Override
    public void unbind(String deviceId) {
        DeviceRecord r = require(deviceId);
        if (!r.function.isAttachable()) { // nothing to detach, and nothing would ever attach: no decision to keep
            throw new IllegalArgumentException(r.id + " is on a read-only bus (" + r.function.busId()
                    + "): no driver attaches there");
        }
        decisions.setUnbound(r.id, true);
        worker.execute(() -> {
            detach(r, "unbound by the user; 'bind " + r.id + "' attaches a driver again");
            evaluate(r);
        });
    }

    /** The driver bound to the device now, or null when none is. */
    synchronized String boundDriver(String deviceId) {
        DeviceRecord r = records.get(deviceId);
        return r != null && r.state == BOUND ? r.driverId : null;
    }

    private synchronized DeviceRecord require(String deviceId) {
        DeviceRecord r = records.get(deviceId);
        if (r == null) {
            throw new IllegalArgumentException("no device '" + deviceId + "' ('devices' lists them)");
        }
        return r;
    }

    /** Re-reads the repository index and asks every bus to rescan. */
    void rescan() {
        catalog.reloadIndex();
        watchers.forEach(Runnable::run);
        busesNow().forEach(PciBus::rescan);
        worker.execute(this::evaluateAll);
    }

    /**
     * The buses tracked now: the service objects the tracker holds until each bus goes (a bus got and let go of
     * here was used after its release).
     */
    List<PciBus> busesNow() {
        Object[] tracked = buses == null ? null : buses.getServices();
        List<PciBus> out = new ArrayList<>();
        for (Object t : tracked == null ? new Object[0] : tracked) {
            out.add(((BusTracker.Tracked) t).bus());
        }
        return out;
    }

    List<Candidate> candidates(PciFunction f) {
        return Matcher.rank(f, catalog.offers(), this::refusal);
    }

    /** The ranking for one device: the drivers given up on for it are refused, saying why. */
    List<Candidate> candidates(DeviceRecord r) {
        Set<String> givenUp;
        synchronized (this) {
            givenUp = Set.copyOf(r.givenUp);
        }
        int attempts = limits.maxAttempts();
        return Matcher.rank(r.function, catalog.offers(), offer -> givenUp.contains(offer.bsn())
                ? "given up on for this device after " + attempts + " failures in a row; 'bind " + r.id
                        + "' tries it again"
                : refusal(offer));
    }

    /** {@link #candidates(DeviceRecord)} of the device {@code deviceId}, which must exist. */
    List<Candidate> candidates(String deviceId) {
        return candidates(require(deviceId));
    }

    /** The bundle id of the driver bound to {@code deviceId}, or -1. */
    synchronized long boundBundle(String deviceId) {
        DeviceRecord r = records.get(deviceId);
        return r == null || r.state != BOUND ? -1 : r.driverBundleId;
    }

    BundleContext driverContext() {
        return context;
    }

    DriverCatalog catalog() {
        return catalog;
    }

    Decisions decisions() {
        return decisions;
    }

    // ---- bus events -------------------------------------------------------------------------------------

    void functionAdded(PciFunction f) {
        DeviceRecord r = new DeviceRecord(DeviceRecord.idOf(f), f);
        synchronized (this) {
            DeviceRecord old = records.put(r.id, r);
            if (old != null) {
                LOG.warn("device {} was added twice; the old record is replaced", r.id);
            }
        }
        post(DeviceEvents.DEVICE_ADDED, r, Map.of());
        LOG.debug("device {} added ({})", r.id, PciText.ids(f));
        worker.execute(() -> evaluate(r));
    }

    /**
     * An orderly removal is coming: the driver is detached now, while the function still answers (a disk's volumes
     * are flushed to it), on the worker as every detach is; the caller waits for it, at most the detach time-out
     * (a slow disk's flush can take far longer than an attach may).
     * The record stays, marked leaving so that nothing attaches it again, until {@link #functionRemoved}.
     */
    void functionRemoving(PciFunction f) {
        DeviceRecord r;
        synchronized (this) {
            r = records.get(DeviceRecord.idOf(f));
            if (r == null) {
                return;
            }
            r.leaving = true;
        }
        Runnable detach = () -> detach(r, "device is being removed");
        if (Thread.currentThread() == workerThread) {
            detach.run(); // removed by something the worker runs: waiting for the worker would wait for ever
            return;
        }
        long timeout = limits.detachTimeoutMillis();
        try {
            worker.submit(detach).get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: its driver did not detach within {} ms; it is removed anyway", r.id, timeout);
        } catch (ExecutionException | RejectedExecutionException e) {
            LOG.warn("{}: cannot detach its driver before its removal: {}", r.id, PciText.message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The record leaves the inventory at once (the bus reports changes in order, so a re-plug at the same address
     * that follows gets a record of its own); the driver is detached on the worker thread.
     */
    void functionRemoved(PciFunction f) {
        String id = DeviceRecord.idOf(f);
        DeviceRecord r;
        synchronized (this) {
            r = records.get(id);
            if (r == null) {
                return;
            }
            records.remove(id);
        }
        worker.execute(() -> {
            detach(r, "device removed");
            synchronized (this) {
                setState(r, REMOVED, "removed from bus " + f.busId());
            }
            post(DeviceEvents.DEVICE_REMOVED, r, Map.of());
            scheduleGraceChecks();
        });
    }

    // ---- driver services --------------------------------------------------------------------------------

    void driverArrived(ServiceReference<PciDriver> ref) {
        String bsn = ref.getBundle().getSymbolicName();
        worker.execute(() -> {
            releaseHeld(bsn);
            cancelGrace(ref.getBundle().getBundleId());
            evaluateAll();
        });
    }

    /** The devices waiting for a driver bundle of {@code bsn} to come back wait no more (on the worker). */
    private synchronized void releaseHeld(String bsn) {
        records.values().stream().filter(r -> r.heldForBsn.equals(bsn)).forEach(r -> r.heldForBsn = "");
    }

    /** Called while the driver service unregisters: detaches its devices before its bundle goes. */
    void driverLeaving(ServiceReference<PciDriver> ref) {
        long bundleId = ref.getBundle().getBundleId();
        String bsn = ref.getBundle().getSymbolicName();
        List<DeviceRecord> affected;
        synchronized (this) {
            affected = records.values().stream().filter(r -> r.driverBundleId == bundleId).toList();
            for (DeviceRecord r : affected) {
                r.heldForBsn = uninstallingByUs.containsKey(bundleId) ? "" : bsn;
            }
        }
        for (DeviceRecord r : affected) {
            detach(r, "driver bundle " + bsn + " stopped; it attaches again when it is started, or 'bind " + r.id + "'");
        }
    }

    // ---- bundle events ----------------------------------------------------------------------------------

    /** Another installed driver bundle of {@code b}'s symbolic name (another version), or null. */
    private Bundle otherVersion(Bundle b) {
        for (Bundle o : context.getBundles()) {
            if (o.getBundleId() != b.getBundleId() && b.getSymbolicName().equals(o.getSymbolicName())
                    && o.getState() != Bundle.UNINSTALLED && DriverCatalog.isDriver(o)) {
                return o;
            }
        }
        return null;
    }

    private void bundleChanged(BundleEvent e) {
        Bundle b = e.getBundle();
        switch (e.getType()) {
        case BundleEvent.UNINSTALLED -> {
            if (uninstallingByUs.remove(b.getBundleId()) != null || !DriverCatalog.isDriver(b)) {
                return;
            }
            decisions.setUninstalled(b.getSymbolicName(), true); // none is installed from the repository again
            Bundle other = otherVersion(b);
            if (other != null) { // one version of two went: the other, installed, drives its devices
                LOG.info("driver bundle {} {} [{}] was uninstalled by the user; {} {} [{}] stays", b.getSymbolicName(),
                        b.getVersion(), b.getBundleId(), other.getSymbolicName(), other.getVersion(),
                        other.getBundleId());
                worker.execute(() -> {
                    releaseHeld(b.getSymbolicName());
                    evaluateAll();
                });
                return;
            }
            LOG.info("driver bundle {} was uninstalled by the user; it will not be installed again unless asked",
                    b.getSymbolicName());
            worker.execute(() -> {
                synchronized (this) {
                    for (DeviceRecord r : records.values()) {
                        if (r.heldForBsn.equals(b.getSymbolicName())) {
                            setState(r, NO_DRIVER, "driver bundle " + b.getSymbolicName()
                                    + " was uninstalled by the user; 'bind " + r.id + "' installs it again");
                        }
                    }
                }
                evaluateAll();
            });
        }
        case BundleEvent.INSTALLED -> {
            if (!DriverInstaller.installedByUs(b) && DriverCatalog.isDriver(b)) {
                decisions.setUninstalled(b.getSymbolicName(), false);
                worker.execute(() -> {
                    releaseHeld(b.getSymbolicName());
                    evaluateAll();
                });
            }
        }
        case BundleEvent.RESOLVED, BundleEvent.STARTED -> {
            if (DriverCatalog.isDriver(b)) {
                worker.execute(this::evaluateAll);
            }
        }
        default -> { }
        }
    }

    // ---- the state machine (worker thread) --------------------------------------------------------------

    private void evaluateAll() {
        List<DeviceRecord> all;
        synchronized (this) {
            all = new ArrayList<>(records.values());
        }
        all.forEach(this::evaluate);
    }

    private void evaluate(DeviceRecord r) {
        if (!ready) {
            return;
        }
        Candidate chosen;
        synchronized (this) {
            // INSTALLING is not skipped: the worker installs synchronously, so a record found INSTALLING here is
            // waiting for its driver's service, and this evaluation may be the one that finds it
            if (records.get(r.id) != r || r.leaving || r.state == BOUND || r.state == ATTACHING
                    || r.state == QUARANTINED || r.state == REMOVED
                    || (r.state == FAILED && r.retry != null && !r.retry.isDone())) {
                return;
            }
            if (decisions.isUnbound(r.id)) {
                setState(r, NO_DRIVER, "unbound by the user; 'bind " + r.id + "' attaches a driver again");
                return;
            }
            if (!r.heldForBsn.isEmpty()) {
                return;
            }
            setState(r, MATCHING, "");
        }
        List<Candidate> ranked = candidates(r);
        chosen = Matcher.best(ranked, c -> true).orElse(null);
        synchronized (this) {
            if (chosen == null) {
                setState(r, NO_DRIVER, noDriverReason(r, ranked));
                return;
            }
            if (!r.function.isAttachable()) {
                setState(r, NO_DRIVER, "would be driven by " + chosen.rule().driverId() + " (" + chosen.offer().bsn()
                        + "), but bus " + r.function.busId() + " is read-only: it gives no register or DMA access");
                return;
            }
            r.driverId = chosen.rule().driverId();
            r.driverBsn = chosen.offer().bsn();
        }
        provide(r, chosen);
    }

    private String noDriverReason(DeviceRecord r, List<Candidate> ranked) {
        Optional<Candidate> refused = ranked.stream().filter(c -> c.score() > 0).findFirst();
        if (refused.isPresent()) {
            return "driver " + refused.get().rule().driverId() + " matches but is " + refused.get().refusal();
        }
        String unreadable = repositoryProblem();
        return "no driver matches " + PciText.ids(r.function) + " (" + ranked.size() + " drivers known; 'why "
                + r.id + "' shows them)" + (unreadable == null ? "" : "; " + unreadable);
    }

    /**
     * Why the driver repository's index could not be read, or null: a missing or broken index left every device
     * "without a driver", said only by 'drivers' and one line of the boot log.
     */
    String repositoryProblem() {
        RepositoryIndex index = catalog.index();
        return index.entries().isEmpty() && !index.problems().isEmpty() && catalog.repository() != null
                ? "the driver repository " + catalog.repository() + " could not be read: " + index.problems().get(0)
                : null;
    }

    /** What is wrong with the driver repository, one line each: unreadable, or entries of its index skipped. */
    List<String> repositoryProblems() {
        String unreadable = repositoryProblem();
        if (unreadable != null) {
            return List.of(unreadable);
        }
        return catalog.repository() == null ? List.of() : catalog.index().problems();
    }

    private String refusal(DriverOffer offer) {
        if (!offer.isInstalled() && decisions.isUninstalled(offer.bsn())) {
            return "uninstalled by the user; 'bind' the device or install the bundle to bring it back";
        }
        if (!offer.isInstalled() && offer.entry() == null) {
            return "not installed and not in the repository";
        }
        return "";
    }

    /** Gets the chosen driver's service: attaches when it is there, else installs or starts its bundle. */
    private void provide(DeviceRecord r, Candidate chosen) {
        DriverOffer offer = chosen.offer();
        if (offer.isInstalled()) {
            ServiceReference<PciDriver> ref = driverService(offer.bundleId(), chosen.rule().driverId());
            Bundle b = context.getBundle(offer.bundleId());
            if (ref != null) {
                attach(r, ref);
            } else if (b == null) {
                failed(r, "driver bundle " + offer.bsn() + " disappeared while being chosen");
            } else if (b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING) {
                awaitDriverService(r, offer.bsn());
            } else if (DriverInstaller.installedByUs(b)) {
                start(r, b);
            } else if (r.bindAsked) { // installed by hand and not started: 'bind' is the user asking to start it
                LOG.info("starting driver bundle {} [{}], installed by hand, as 'bind {}' asks", offer.bsn(),
                        b.getBundleId(), r.id);
                start(r, b);
            } else {
                setStateLocked(r, NO_DRIVER, "driver bundle " + offer.bsn() + " [" + b.getBundleId()
                        + "] is installed but not started; 'start " + b.getBundleId() + "' or 'bind " + r.id + "'");
            }
            return;
        }
        setStateLocked(r, INSTALLING, "installing " + offer.bsn() + " " + offer.version() + " from " + offer.entry().url());
        try {
            Bundle b = installer.install(offer.entry());
            LOG.info("installed driver bundle {} {} from the repository for {}", offer.bsn(), offer.version(), r.id);
            start(r, b);
        } catch (Exception e) {
            failed(r, "cannot install driver " + offer.bsn() + ": " + PciText.message(e));
        }
    }

    private void start(DeviceRecord r, Bundle b) {
        try {
            setStateLocked(r, INSTALLING, "starting driver bundle " + b.getSymbolicName());
            b.start();
            awaitDriverService(r, b.getSymbolicName());
        } catch (Exception e) {
            failed(r, "cannot start driver bundle " + b.getSymbolicName() + ": " + PciText.message(e));
        }
    }

    /**
     * The driver bundle is active; its PciDriver service arriving re-evaluates the device. If it has not come
     * within the attach time-out, the attempt fails (a bundle that declares a driver but never registers it).
     */
    private void awaitDriverService(DeviceRecord r, String bsn) {
        long attempt;
        synchronized (this) {
            attempt = ++r.attempt;
            setState(r, INSTALLING, "waiting for " + bsn + " to register driver " + r.driverId + " ('diag " + bsn
                    + "' tells why it has not, if it does not)");
        }
        long timeout = limits.attachTimeoutMillis();
        ScheduledFuture<?> timer = worker.schedule(() -> {
            synchronized (this) {
                if (r.attempt != attempt || r.state != INSTALLING) {
                    return;
                }
                r.attempt++;
            }
            failed(r, "driver bundle " + bsn + " registered no PciDriver service '" + r.driverId + "' within "
                    + timeout + " ms ('diag " + bsn + "' tells why)");
        }, timeout, TimeUnit.MILLISECONDS);
        synchronized (this) {
            r.cancelTimer();
            r.timer = timer;
        }
    }

    private ServiceReference<PciDriver> driverService(long bundleId, String driverId) {
        for (ServiceReference<PciDriver> ref : driverTracker.references()) {
            if (ref.getBundle() != null && ref.getBundle().getBundleId() == bundleId
                    && driverId.equals(ref.getProperty(DeviceService.DRIVER_ID))) {
                return ref;
            }
        }
        return null;
    }

    private void attach(DeviceRecord r, ServiceReference<PciDriver> ref) {
        PciDriver driver = driverTracker.driver(ref);
        if (driver == null) {
            failed(r, "driver " + r.driverId + " went away while being chosen");
            return;
        }
        synchronized (this) {
            if (!r.attachRunning.isEmpty()) { // cut off (unbound, timed out) and not yet back from the driver
                deferAttach(r);
                return;
            }
        }
        PciFunction.AccessGrant grant;
        long attempt;
        try {
            grant = r.function.grantAccess();
        } catch (Exception e) {
            failed(r, "cannot get access to the device: " + PciText.message(e));
            return;
        }
        synchronized (this) {
            attempt = ++r.attempt;
            r.problem = "";
            r.grant = grant;
            r.driverBundleId = ref.getBundle().getBundleId();
            r.attachRunning = r.driverId;
            setState(r, ATTACHING, "driver " + r.driverId + " is attaching");
        }
        Map<String, Object> props = Map.of(DeviceService.DEVICE_ID, r.id,
                DeviceService.PCI_ADDRESS, r.function.address().toString(), DeviceService.DRIVER_ID, r.driverId);
        DriverContextImpl ctx = new DriverContextImpl(r.id, props, problem -> reported(r, attempt, problem));
        long timeout = limits.attachTimeoutMillis();
        Thread t = daemon(() -> {
            DriverAttachment a;
            try {
                a = driver.attach(grant.function(), ctx);
            } catch (Throwable e) {
                report(() -> attached(r, attempt, null, e), null, r);
                return;
            }
            report(() -> attached(r, attempt, a, null), a, r);
        }, "devrt-attach " + r.id);
        t.start();
        ScheduledFuture<?> timer = worker.schedule(() -> attachTimedOut(r, attempt, timeout), timeout, TimeUnit.MILLISECONDS);
        synchronized (this) {
            r.timer = timer;
        }
    }

    /**
     * A new attach waits for one cut off (unbound, or timed out and its access revoked) to come back from the driver
     * and be detached: started at once, both ran in the driver, and its services and the late one's were registered
     * side by side ("eth0 exists already"), as Linux's device lock keeps a probe and a remove apart. A driver that
     * has not come back within the attach time-out quarantines the device. Caller holds the lock.
     */
    private void deferAttach(DeviceRecord r) {
        r.evaluateAfterAttach = true;
        setState(r, MATCHING, "waiting for the attach by " + r.attachRunning + " that was cut off to return");
        long timeout = limits.attachTimeoutMillis();
        long attempt = r.attempt;
        r.cancelTimer();
        r.timer = worker.schedule(() -> {
            synchronized (this) {
                if (r.attempt != attempt || r.attachRunning.isEmpty() || !r.evaluateAfterAttach) {
                    return;
                }
                r.evaluateAfterAttach = false;
                setState(r, QUARANTINED, "the attach by " + r.attachRunning + " that was cut off has not returned"
                        + " within " + timeout + " ms; quarantined; 'bind " + r.id + "' tries again");
            }
            LOG.warn("device {} quarantined: the attach by {} that was cut off has not returned", r.id,
                    r.attachRunning);
        }, timeout, TimeUnit.MILLISECONDS);
    }

    /**
     * Hands an attach's outcome to the worker; if the manager has stopped meanwhile (the worker refuses it), an
     * attachment that came back is detached here and now: else its services stayed registered over revoked handles,
     * and the next manager's attach of the device registered a second set (a second eth, a disk replaced).
     */
    private void report(Runnable outcome, DriverAttachment late, DeviceRecord r) {
        try {
            worker.execute(outcome);
        } catch (RejectedExecutionException stopped) {
            if (late != null) {
                LOG.info("device {}: its driver attached after the device manager stopped; detaching it", r.id);
                try {
                    late.detach();
                } catch (RuntimeException e) {
                    LOG.warn("device {}: detach of the late attach failed: {}", r.id, PciText.message(e), e);
                }
            }
        }
    }

    private void attached(DeviceRecord r, long attempt, DriverAttachment a, Throwable error) {
        boolean current;
        synchronized (this) {
            current = r.attempt == attempt && r.state == ATTACHING && records.get(r.id) == r;
            if (current) {
                r.cancelTimer();
                r.attachRunning = "";
            }
            if (current && error == null) {
                r.attachment = a;
                r.failures = 0;
                setState(r, BOUND, r.problem);
            }
        }
        if (!current) {
            if (a != null) {
                LOG.warn("driver {} finished attaching {} too late; detaching it", r.driverId, r.id);
                safeDetach(r, a);
            }
            boolean again;
            synchronized (this) {
                r.attachRunning = "";
                again = r.evaluateAfterAttach;
                r.evaluateAfterAttach = false;
                if (again) {
                    r.cancelTimer();
                    setState(r, NO_DRIVER, "the attach that was cut off has returned");
                }
            }
            if (again) {
                evaluate(r);
            }
            return;
        }
        if (error != null) {
            PciFunction.AccessGrant g;
            synchronized (this) {
                g = r.grant;
                r.grant = null;
                r.driverBundleId = -1;
            }
            if (g != null) {
                g.close();
            }
            failed(r, "attach by " + r.driverId + " failed: " + PciText.message(error));
            return;
        }
        cancelGrace(r.driverBundleId); // in use again: its grace period starts at its next detach
        LOG.info("driver {} attached to {}", r.driverId, r.id);
        post(DeviceEvents.DRIVER_ATTACHED, r, Map.of());
    }

    /**
     * A driver's word on what it could not bring up of a device: kept for its attempt (a stale attempt's word is
     * dropped) and, while bound, the device's reason; the banner, {@code diag} and {@code devices} show it.
     */
    private void reported(DeviceRecord r, long attempt, String problem) {
        synchronized (this) {
            if (r.attempt != attempt || r.problem.equals(problem)) {
                return;
            }
            r.problem = problem;
            if (r.state == BOUND) {
                setState(r, BOUND, problem);
            }
        }
        if (!problem.isEmpty()) {
            LOG.warn("device {}: driver {} reports: {}", r.id, r.driverId, problem);
        }
    }

    private void attachTimedOut(DeviceRecord r, long attempt, long timeout) {
        PciFunction.AccessGrant g;
        synchronized (this) {
            if (r.attempt != attempt || r.state != ATTACHING) {
                return;
            }
            r.attempt++; // a late completion is now stale
            g = r.grant;
            r.grant = null;
            r.driverBundleId = -1;
        }
        if (g != null) {
            g.close(); // the hung driver loses the device
        }
        failed(r, "attach by " + r.driverId + " did not finish within " + timeout + " ms");
    }

    private void failed(DeviceRecord r, String why) {
        String bsn;
        boolean last;
        synchronized (this) {
            bsn = r.driverBsn;
            last = r.failures + 1 >= limits.maxAttempts();
        }
        // the next best driver, with this one given up on too (outside the lock: the ranking asks the framework)
        Optional<Candidate> next = !last || bsn.isEmpty() ? Optional.empty()
                : Matcher.best(candidates(r), c -> !c.offer().bsn().equals(bsn));
        synchronized (this) {
            r.failures++;
            if (r.failures >= limits.maxAttempts() && next.isPresent() && r.driverBsn.equals(bsn)) {
                r.givenUp.add(bsn);
                r.failures = 0;
                String driver = r.driverId;
                setState(r, FAILED, why + "; " + driver + " given up on for this device after "
                        + limits.maxAttempts() + " failures in a row; next: " + next.get().rule().driverId() + " ("
                        + next.get().offer().bsn() + ")");
                LOG.warn("device {}: {}; driver {} given up on for it, trying {}", r.id, why, driver,
                        next.get().rule().driverId());
                retryLocked(r, 0);
                return;
            }
            if (r.failures >= limits.maxAttempts()) {
                setState(r, QUARANTINED, why + "; quarantined after " + r.failures + " failures in a row; 'bind "
                        + r.id + "' tries again");
                LOG.warn("device {} quarantined: {}", r.id, why);
                try {
                    worker.execute(this::scheduleGraceChecks); // its driver may now be used by no device
                } catch (RejectedExecutionException stopping) {
                    // the manager is stopping: no grace timers any more
                }
                return;
            }
            long delay = limits.retryBackoffMillis() << Math.min(r.failures - 1, 16);
            setState(r, FAILED, why + "; retry " + r.failures + " of " + (limits.maxAttempts() - 1) + " in " + delay + " ms");
            LOG.warn("device {}: {}; retrying in {} ms", r.id, why, delay);
            retryLocked(r, delay);
        }
    }

    /** Evaluates {@code r} again after {@code delayMillis} on the worker; a FAILED device waits for it. Lock held. */
    private void retryLocked(DeviceRecord r, long delayMillis) {
        r.retry = worker.schedule(() -> {
            synchronized (this) {
                r.retry = null;
            }
            evaluate(r);
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Detaches the driver, if any, and leaves the device in NO_DRIVER with {@code reason}. Any thread. */
    private void detach(DeviceRecord r, String reason) {
        DriverAttachment a;
        PciFunction.AccessGrant g;
        synchronized (this) {
            a = r.attachment;
            g = r.grant;
            r.attachment = null;
            r.grant = null;
            r.attempt++;
            r.driverBundleId = -1;
            r.cancelTimer();
            if (r.retry != null) {
                r.retry.cancel(false);
                r.retry = null;
            }
            if (r.state != REMOVED) {
                setState(r, NO_DRIVER, reason);
            }
        }
        if (a != null) {
            safeDetach(r, a);
            post(DeviceEvents.DRIVER_DETACHED, r, Map.of());
            LOG.info("driver {} detached from {}: {}", r.driverId, r.id, reason);
        }
        if (g != null) {
            g.close();
        }
        scheduleGraceChecks();
    }

    private void safeDetach(DeviceRecord r, DriverAttachment a) {
        try {
            a.detach();
        } catch (Throwable e) {
            LOG.warn("driver {} threw while detaching from {}: {}", r.driverId, r.id, PciText.message(e));
        }
    }

    // ---- unused driver bundles --------------------------------------------------------------------------

    private void scheduleGraceChecks() {
        if (worker == null || worker.isShutdown()) {
            return;
        }
        for (Bundle b : context.getBundles()) {
            // not only those unused now: a device being attached by another driver kept them all from their grace
            // period; uninstallIfUnused looks again when it fires
            if (DriverInstaller.installedByUs(b) && DriverCatalog.isDriver(b) && !boundTo(b.getBundleId())) {
                long id = b.getBundleId();
                ScheduledFuture<?> previous = graceTimers.put(id, worker.schedule(() -> uninstallIfUnused(id),
                        limits.driverGraceSeconds(), TimeUnit.SECONDS)); // the grace period runs from the last detach
                if (previous != null) {
                    previous.cancel(false);
                }
            }
        }
    }

    private synchronized boolean boundTo(long bundleId) {
        return records.values().stream().anyMatch(r -> r.driverBundleId == bundleId);
    }

    /** How many devices the driver {@code driverId} of bundle {@code bundleId} serves. */
    synchronized long boundCount(long bundleId, String driverId) {
        return records.values().stream()
                .filter(r -> r.state == BOUND && r.driverBundleId == bundleId && r.driverId.equals(driverId)).count();
    }

    private synchronized boolean inUse(long bundleId) {
        return records.values().stream().anyMatch(r -> r.driverBundleId == bundleId || r.isBusy());
    }

    private void cancelGrace(long bundleId) {
        ScheduledFuture<?> f = graceTimers.remove(bundleId);
        if (f != null) {
            f.cancel(false);
        }
    }

    private void uninstallIfUnused(long bundleId) {
        graceTimers.remove(bundleId);
        Bundle b = context.getBundle(bundleId);
        if (b == null) {
            return;
        }
        if (inUse(bundleId)) { // in use, or a device is being attached: look again a grace period later
            if (!boundTo(bundleId)) {
                graceTimers.put(bundleId, worker.schedule(() -> uninstallIfUnused(bundleId), limits.driverGraceSeconds(),
                        TimeUnit.SECONDS));
            }
            return;
        }
        try {
            uninstallingByUs.put(bundleId, Boolean.TRUE);
            LOG.info("uninstalling driver bundle {}: no device has used it for {} s", b.getSymbolicName(),
                    limits.driverGraceSeconds());
            b.uninstall();
        } catch (Exception e) {
            uninstallingByUs.remove(bundleId);
            LOG.warn("cannot uninstall unused driver bundle {}: {}", b.getSymbolicName(), PciText.message(e));
        }
    }

    // ---- state and events -------------------------------------------------------------------------------

    private synchronized void setStateLocked(DeviceRecord r, DeviceState state, String reason) {
        setState(r, state, reason);
    }

    /** Caller holds the lock. */
    private void setState(DeviceRecord r, DeviceState state, String reason) {
        if (r.state == state && r.reason.equals(reason)) {
            return;
        }
        r.state = state;
        r.reason = reason;
        post(DeviceEvents.DEVICE_STATE, r, Map.of(DeviceEvents.STATE, state.name(), DeviceEvents.REASON, reason));
    }

    private void post(String topic, DeviceRecord r, Map<String, Object> extra) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        Map<String, Object> props = new java.util.HashMap<>(extra);
        props.put(DeviceEvents.DEVICE_ID, r.id);
        props.put(DeviceService.PCI_ADDRESS, r.function.address().toString());
        if (!r.driverId.isEmpty()) {
            props.put(DeviceEvents.DRIVER_ID, r.driverId);
        }
        ea.postEvent(new Event(topic, props));
    }
}
