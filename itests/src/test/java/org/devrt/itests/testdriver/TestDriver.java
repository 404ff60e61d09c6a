package org.devrt.itests.testdriver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.devrt.hw.HandleRevokedException;
import org.devrt.hw.RegisterIo;
import org.devrt.pci.DriverAttachment;
import org.devrt.pci.DriverContext;
import org.devrt.pci.PciDriver;
import org.devrt.pci.PciFunction;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The test driver. Behaviours ({@link TestDriverActivator#BEHAVIOUR}):
 * <ul>
 * <li>{@code ok} (default): registers a {@link TestDevice} service, unregisters it on detach;
 * <li>{@code throw}: every attach throws; {@code throw:N}: the first N attaches throw, later ones are {@code ok};
 * <li>{@code hang}: takes BAR 0 and reads it until the access is revoked, then fails with the revocation;
 * <li>{@code late:MILLIS}: waits MILLIS without touching the device, then attaches as {@code ok};
 * <li>{@code problem}: attaches as {@code ok}, reporting that it left a part of the device out
 *     ({@link DriverContext#problem}).
 * </ul>
 * Everything it is asked to do is counted in its {@link DriverTrace} service.
 */
final class TestDriver implements PciDriver {
    private static final long HANG_LIMIT_MILLIS = 60_000;

    private final BundleContext context;
    private final String id;
    private final String behaviour;
    private final long argument;
    private final ServiceRegistration<DriverTrace> trace;
    private int attachCalls;
    private int attachesRunning;
    private int mostAttachesRunning;
    private final List<Long> attachMillis = new ArrayList<>();
    private int attached;
    private int detachCalls;
    private final List<String> revoked = new ArrayList<>();

    TestDriver(BundleContext context, String id, String behaviourHeader) {
        this.context = context;
        this.id = id;
        String spec = behaviourHeader == null ? "ok" : behaviourHeader.trim();
        int colon = spec.indexOf(':');
        this.behaviour = colon < 0 ? spec : spec.substring(0, colon);
        this.argument = colon < 0 ? 0 : Long.parseLong(spec.substring(colon + 1).trim());
        if (!List.of("ok", "throw", "hang", "late", "problem").contains(behaviour)) {
            throw new IllegalArgumentException("unknown " + TestDriverActivator.BEHAVIOUR + ": " + spec);
        }
        this.trace = context.registerService(DriverTrace.class, new DriverTrace() { }, traceProperties());
    }

    @Override
    public DriverAttachment attach(PciFunction function, DriverContext ctx) throws Exception {
        int call;
        synchronized (this) {
            call = ++attachCalls;
            attachMillis.add(System.currentTimeMillis());
            mostAttachesRunning = Math.max(mostAttachesRunning, ++attachesRunning);
        }
        publish();
        try {
            return attach(function, ctx, call);
        } finally {
            synchronized (this) {
                attachesRunning--;
            }
        }
    }

    private DriverAttachment attach(PciFunction function, DriverContext ctx, int call) throws Exception {
        switch (behaviour) {
        case "throw" -> {
            if (argument == 0 || call <= argument) {
                throw new IOException("test driver " + id + " refuses attach " + call + " of " + ctx.deviceId());
            }
        }
        case "hang" -> hang(function);
        case "late" -> Thread.sleep(argument);
        case "problem" -> ctx.problem("test driver " + id + " left unit 1 of " + ctx.deviceId() + " out");
        default -> { }
        }
        return register(ctx);
    }

    private DriverAttachment register(DriverContext ctx) {
        Dictionary<String, Object> props = new Hashtable<>(ctx.serviceProperties());
        props.put("devrt.device.type", TestDevice.TYPE);
        ServiceRegistration<TestDevice> device = context.registerService(TestDevice.class, new TestDevice() { }, props);
        synchronized (this) {
            attached++;
        }
        publish();
        return () -> {
            synchronized (this) {
                detachCalls++;
            }
            try {
                device.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and its services went first
            }
            publish();
        };
    }

    /** Holds the device (reads BAR 0) until the device manager takes the access away. */
    private void hang(PciFunction function) throws Exception {
        RegisterIo bar = function.bar(0);
        long deadline = System.currentTimeMillis() + HANG_LIMIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            try {
                bar.read32(0x40);
            } catch (HandleRevokedException e) {
                synchronized (this) {
                    revoked.add(e.getMessage());
                }
                publish();
                throw e;
            }
            Thread.sleep(5);
        }
        throw new IOException("test driver " + id + " hung " + HANG_LIMIT_MILLIS + " ms and its access was never revoked");
    }

    private void publish() {
        try {
            trace.setProperties(traceProperties());
        } catch (IllegalStateException unregistered) {
            // the bundle stopped
        }
    }

    private synchronized Dictionary<String, Object> traceProperties() {
        Hashtable<String, Object> props = new Hashtable<>(Map.of(DriverTrace.DRIVER_ID, id,
                DriverTrace.ATTACH_CALLS, attachCalls, DriverTrace.ATTACHED, attached,
                DriverTrace.DETACH_CALLS, detachCalls, DriverTrace.MOST_CONCURRENT_ATTACHES, mostAttachesRunning));
        props.put(DriverTrace.ATTACH_MILLIS, attachMillis.stream().mapToLong(Long::longValue).toArray());
        props.put(DriverTrace.REVOKED, revoked.toArray(new String[0]));
        return props;
    }

    void close() {
        try {
            trace.unregister();
        } catch (IllegalStateException alreadyGone) {
            // unregistered with the bundle
        }
    }
}
