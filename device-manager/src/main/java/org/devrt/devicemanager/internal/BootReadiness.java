package org.devrt.devicemanager.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceState;
import org.devrt.device.DeviceStatus;
import org.devrt.registry.condition.ConditionPublisher;
import org.devrt.registry.condition.RefusedConfiguration;
import org.devrt.registry.shell.Arguments;
import org.devrt.registry.shell.CommandOutput;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.condition.Condition;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boot to ready: the system is ready once the device manager has recorded the devices of every PCI bus registered,
 * every device it knows has settled (bound, without a driver, quarantined or removed: nothing is being matched,
 * installed or attached) and every condition it waits for is
 * registered: {@code devrt.emulator.settled} (the framework has started and every configured function of the
 * emulated machine is plugged), {@code devrt.vfs.settled} (the VFS has looked at every disk and mounted its
 * volumes, listed in the condition's {@code devrt.mount.points}) and {@code devrt.network.settled} (the network
 * stack has an interface on every network device, listed in {@code devrt.interfaces}). It is told of changes (device-state events, the
 * conditions coming and going) and never polls. The first time the system is ready it logs the banner and
 * registers the condition {@code devrt.ready}, which other bundles and tests can wait on (a {@code Condition}
 * reference with target {@code (osgi.condition.id=devrt.ready)}); it stays: readiness is a boot milestone. The
 * {@code ready} command waits for it and prints the banner; {@code etc/gosh_profile} runs it before the first
 * prompt. Immediate: as a delayed component it lived only while Event Admin held its EventHandler service, and a
 * restart of Event Admin disposed of it and of devrt.ready.
 */
@Component(service = {BootReadiness.class, EventHandler.class}, configurationPid = BootReadiness.PID, immediate = true,
        property = {EventConstants.EVENT_TOPIC + "=" + DeviceEvents.DEVICE_STATE, "osgi.command.scope=devrt",
            "osgi.command.function=ready"})
@Designate(ocd = BootReadiness.Config.class)
public final class BootReadiness implements EventHandler {
    static final String PID = "devrt.ready";
    static final String READY = "devrt.ready";
    static final String MOUNT_POINTS = "devrt.mount.points";
    static final String INTERFACES = "devrt.interfaces";
    private static final Logger LOG = LoggerFactory.getLogger(BootReadiness.class);
    private static final Set<DeviceState> SETTLED = EnumSet.of(DeviceState.BOUND, DeviceState.NO_DRIVER,
            DeviceState.QUARANTINED, DeviceState.REMOVED);

    @ObjectClassDefinition(id = PID, name = "devrt boot readiness",
            description = "When devrt counts as ready: every device settled and these conditions registered.")
    @interface Config {
        @AttributeDefinition(name = "Wait for", required = false, description = "osgi.condition.id values that must"
                + " be registered as well (empty: devices only)")
        String[] waitFor() default {"devrt.emulator.settled", "devrt.vfs.settled", "devrt.network.settled"};
    }

    private final DeviceManager manager;
    /** Registered devrt.* conditions by id, with their properties. */
    private final Map<String, Map<String, Object>> conditions = new TreeMap<>();
    /** The service ids of the refused configurations' conditions, counted in the banner. */
    private final Set<Object> refusals = new HashSet<>();
    private List<String> waitFor;
    private String banner;
    /** The banner's problem lines, to tell {@code ready}'s reader when they are no longer what is wrong. */
    private List<String> bootProblems = List.of();
    /** The problems devrt.ready carries, as last published (guarded by this); null before ready. */
    private List<String> published;
    private final ConditionPublisher ready;
    /** A repository read anew may have problems, and a bus seen devices, that no device event tells. */
    private final Runnable managerChanged = this::evaluate;
    /**
     * When this component started after the boot (its bundle started again by hand): the banner then times readiness
     * from here, not from the JVM's start (33.5 s after a restart of the manager was no boot time); null at boot.
     */
    private final Instant restartedAt;

    @Activate
    public BootReadiness(@Reference(name = "manager") DeviceManager manager, BundleContext context, Config config) {
        this.manager = manager;
        this.ready = new ConditionPublisher(context, READY);
        this.waitFor = List.of(config.waitFor());
        this.restartedAt = startedByTheRamp(context.getBundle()) ? null : Instant.now();
        manager.watch(managerChanged);
    }

    /**
     * Whether {@code bundle} is being started by the framework raising its start level (the boot): the framework's
     * active level is then the bundle's own; a bundle started by hand afterwards finds the framework above it.
     */
    static boolean startedByTheRamp(Bundle bundle) {
        Bundle system = bundle.getBundleContext().getBundle(Constants.SYSTEM_BUNDLE_ID);
        FrameworkStartLevel framework = system.adapt(FrameworkStartLevel.class);
        BundleStartLevel own = bundle.adapt(BundleStartLevel.class);
        return framework == null || own == null || framework.getStartLevel() <= own.getStartLevel();
    }

    @Modified
    void modified(Config config) {
        synchronized (this) {
            waitFor = List.of(config.waitFor());
        }
        evaluate();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(osgi.condition.id=devrt.*)")
    void addCondition(Condition condition, Map<String, Object> properties) {
        synchronized (this) {
            String id = String.valueOf(properties.get(Condition.CONDITION_ID));
            if (id.equals(RefusedConfiguration.CONDITION_ID)) {
                refusals.add(properties.get(Constants.SERVICE_ID)); // one per refused configuration
                return;
            }
            if (id.equals(READY)) {
                return; // our own
            }
            conditions.put(id, properties);
        }
        evaluate();
    }

    void updatedCondition(Condition condition, Map<String, Object> properties) {
        addCondition(condition, properties);
    }

    void removeCondition(Condition condition, Map<String, Object> properties) {
        synchronized (this) {
            String id = String.valueOf(properties.get(Condition.CONDITION_ID));
            if (id.equals(RefusedConfiguration.CONDITION_ID)) {
                refusals.remove(properties.get(Constants.SERVICE_ID));
            } else {
                conditions.remove(id);
            }
        }
    }

    @Deactivate
    void deactivate() {
        manager.unwatch(managerChanged);
        ready.close();
    }

    @Override
    public void handleEvent(Event event) {
        evaluate();
    }

    /**
     * Registers devrt.ready and logs the banner the first time nothing is pending; from then on keeps the
     * condition's {@link ConditionPublisher#PROBLEMS} (what {@code diag} shows for this bundle) up to date.
     */
    void evaluate() {
        // no lock of ours is held while calling the manager; the buses first: a bus seen after this look has its
        // devices in the list below. Once ready, no device event asks the registry for the buses again.
        List<String> unseen = banner() == null ? manager.busesNotSeen() : List.of();
        List<DeviceStatus> devices = manager.devices();
        synchronized (this) {
            if (banner == null && !pending(unseen, devices).isEmpty()) {
                return; // the boot's many events end here, without the problems
            }
        }
        String text = null;
        List<String> problems = problems(devices);
        synchronized (this) {
            if (banner == null) {
                if (!pending(unseen, devices).isEmpty()) {
                    return;
                }
                banner = banner(devices, problems, restartedAt == null
                        ? String.format("devrt ready %.1f s after the JVM started", uptimeMillis() / 1000.0)
                        : String.format("devrt ready again %.1f s after the device manager started",
                                Duration.between(restartedAt, Instant.now()).toMillis() / 1000.0));
                text = banner;
                notifyAll();
            } else if (problems.equals(published)) {
                return;
            }
            published = problems;
        }
        if (text != null) {
            LOG.info("{}", text);
        }
        // Two events evaluated at once: the later published list wins, not the later thread.
        ready.publish(Map.of(ConditionPublisher.PROBLEMS, problems.toArray(String[]::new)),
                () -> stillPublished(problems));
    }

    private synchronized boolean stillPublished(List<String> problems) {
        return published == problems;
    }

    /**
     * What the device manager knows is wrong, one line each: a bound device with a problem its driver reported (a
     * disk left out), and the driver repository's (unreadable, or entries skipped).
     */
    private List<String> problems(List<DeviceStatus> devices) {
        List<String> out = new ArrayList<>();
        for (DeviceStatus d : devices) {
            if (d.state() == DeviceState.BOUND && !d.reason().isEmpty()) {
                out.add(d.deviceId() + ": " + d.reason());
            }
        }
        out.addAll(manager.repositoryProblems());
        return out;
    }

    /** What readiness still waits for, one line each; empty when ready. */
    List<String> pending() {
        List<String> unseen = manager.busesNotSeen();
        List<DeviceStatus> devices = manager.devices();
        synchronized (this) {
            return pending(unseen, devices);
        }
    }

    private List<String> pending(List<String> unseenBuses, List<DeviceStatus> devices) {
        List<String> out = new ArrayList<>();
        for (String bus : unseenBuses) {
            out.add("PCI bus " + bus + " is registered, its devices not yet recorded by the device manager");
        }
        for (DeviceStatus d : devices) {
            if (!SETTLED.contains(d.state())) {
                out.add("device " + d.deviceId() + " is " + d.state()
                        + (d.reason() == null || d.reason().isEmpty() ? "" : " (" + d.reason() + ")"));
            }
        }
        for (String id : waitFor) {
            if (!conditions.containsKey(id)) {
                out.add("condition " + id + " is not registered yet (is the bundle that provides it active? 'diag'"
                        + " tells)");
            }
        }
        return out;
    }

    /**
     * Set by ./devrt to the time (epoch milliseconds) at which it runs java. The script execs the JVM in its own
     * process, so the process's start is the script's, before the build it may have done first.
     */
    static final String LAUNCHED = "devrt.launched";

    /**
     * Milliseconds since this JVM's process started, as the OS tells it (to 10 ms), or since ./devrt launched it if
     * that is later: the JVM's own uptime would load java.management and its MBeans for this one figure, at the end
     * of the boot it measures.
     */
    private static long uptimeMillis() {
        Instant now = Instant.now();
        return ProcessHandle.current().info().startInstant()
                .map(start -> uptimeMillis(now, start, System.getProperty(LAUNCHED)))
                .orElseGet(() -> ManagementFactory.getRuntimeMXBean().getUptime());
    }

    /** From {@code processStart}, or from {@code launched} (epoch ms, as text) when it is a time between it and now. */
    static long uptimeMillis(Instant now, Instant processStart, String launched) {
        Instant from = processStart;
        try {
            Instant at = launched == null ? null : Instant.ofEpochMilli(Long.parseLong(launched.trim()));
            if (at != null && at.isAfter(processStart) && !at.isAfter(now)) {
                from = at;
            }
        } catch (NumberFormatException e) {
            // not a time: the process's start
        }
        return Duration.between(from, now).toMillis();
    }

    /** The banner; null until ready. */
    synchronized String banner() {
        return banner;
    }

    /** @param since how long it took, from when: the banner's first words */
    private String banner(List<DeviceStatus> all, List<String> problems, String since) {
        List<DeviceStatus> devices = all.stream().filter(d -> d.state() != DeviceState.REMOVED).toList();
        Map<String, List<String>> bound = new LinkedHashMap<>();
        for (DeviceStatus d : devices) {
            if (d.state() == DeviceState.BOUND) {
                bound.computeIfAbsent(d.driverId(), k -> new ArrayList<>()).add(d.deviceId());
            }
        }
        long boundCount = bound.values().stream().mapToLong(List::size).sum();
        StringBuilder out = new StringBuilder(since).append(": ").append(devices.size()).append(" devices, ")
                .append(boundCount).append(" bound, ").append(devices.size() - boundCount).append(" without a driver");
        bound.forEach((driver, ids) -> out.append("\n  driver     ").append(driver).append(": ")
                .append(String.join(", ", ids)));
        for (String point : strings(conditions.get("devrt.vfs.settled"), MOUNT_POINTS)) {
            out.append("\n  volume     ").append(point);
        }
        for (String iface : strings(conditions.get("devrt.network.settled"), INTERFACES)) {
            out.append("\n  interface  ").append(iface);
        }
        bootProblems = allProblems(problems);
        bootProblems.forEach(problem -> out.append("\n  problem    ").append(problem));
        if (!refusals.isEmpty()) {
            out.append("\n  refused    ").append(refusals.size()).append(refusals.size() == 1 ? " configuration"
                    : " configurations").append(" ('diag' lists them)");
        }
        return out.toString();
    }

    /** The device manager's problems, then those the readiness conditions report. Caller holds the lock. */
    private List<String> allProblems(List<String> managers) {
        List<String> all = new ArrayList<>(managers);
        conditions.values().stream().flatMap(c -> strings(c, ConditionPublisher.PROBLEMS).stream()).forEach(all::add);
        return all;
    }

    private static List<String> strings(Map<String, Object> properties, String key) {
        Object v = properties == null ? null : properties.get(key);
        if (v instanceof String[] a) {
            return Arrays.asList(a);
        }
        return v == null ? List.of() : List.of(v.toString());
    }

    /**
     * How long {@code ready}'s arguments say to wait: 30 s without any, else {@code -w} and seconds, whole or not.
     *
     * @throws IllegalArgumentException saying what is wrong with them
     */
    static long waitNanos(String... args) {
        if (args.length == 0) {
            return TimeUnit.SECONDS.toNanos(30);
        }
        if (args.length != 2 || !args[0].equals("-w")) {
            throw new IllegalArgumentException("bad arguments '" + String.join(" ", args) + "'");
        }
        double seconds;
        try {
            seconds = Double.parseDouble(args[1]);
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds >= 0 && seconds <= 86_400)) { // NaN too
            throw new IllegalArgumentException("-w wants seconds from 0 to 86400, such as 30 or 2.5, not '" + args[1]
                    + "'");
        }
        return (long) (seconds * 1e9);
    }

    /** 30, 2.5: seconds as a person wrote them. */
    private static String seconds(long nanos) {
        return java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    @Descriptor("wait until devrt is ready (devices settled, volumes mounted, interfaces up) and show the banner")
    public String ready(@Descriptor("[-w seconds] (default 30)") String... args) throws InterruptedException {
        return CommandOutput.of(readyText(Arguments.present(args)));
    }

    private String readyText(String... args) throws InterruptedException {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            return USAGE;
        }
        long waitNanos;
        try {
            waitNanos = waitNanos(args);
        } catch (IllegalArgumentException e) {
            return CommandOutput.error("ready: " + e.getMessage() + "\n" + USAGE);
        }
        long deadline = System.nanoTime() + waitNanos;
        synchronized (this) {
            while (banner == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            if (banner != null) {
                // The banner is the boot's picture: its problem lines stayed after they were mended
                List<String> now = allProblems(published == null ? List.of() : published);
                return now.equals(bootProblems) ? banner : banner + "\n(at boot; now " + (now.isEmpty()
                        ? "no problem is reported" : now.size() + (now.size() == 1 ? " problem is" : " problems are")
                        + " reported: 'diag' lists them") + ")";
            }
        }
        return "devrt is not ready after " + seconds(waitNanos) + " s; waiting for:\n  "
                + pending().stream().collect(Collectors.joining("\n  "));
    }

    static final String USAGE = """
            usage: ready [-w seconds]
              waits (default 30 s) until every device has settled, the VFS has mounted the volumes of every disk
              and the network stack has an interface on every NIC; then shows how long booting took and what came
              up, or, after the wait, what is still pending""";
}
