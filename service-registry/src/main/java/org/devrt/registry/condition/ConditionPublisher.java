package org.devrt.registry.condition;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.condition.Condition;

/**
 * One OSGi condition ({@code osgi.condition.id}) that a component registers while something holds and withdraws
 * when it stops holding: the readiness conditions of devrt's bundles. Its own lock serializes registering,
 * updating and withdrawing; callers hold none of theirs while calling it, since the framework calls other bundles
 * back during a registration. A {@code still} test given to {@link #publish} is checked under that lock, so a
 * {@link #withdraw} that follows a change of state cannot be overtaken by a registration that saw the old one.
 * After {@link #close} nothing is registered again. Thread-safe.
 */
public final class ConditionPublisher {
    /**
     * Property of a readiness condition: what its bundle met and could not do (String[], one line each, e.g.
     * {@code sda1 not mounted: corrupt FAT filesystem: ...}); the banner and {@code diag} show them.
     */
    public static final String PROBLEMS = "devrt.problems";

    private final BundleContext context;
    private final String id;
    private ServiceRegistration<Condition> registration;
    private boolean closed;

    public ConditionPublisher(BundleContext context, String id) {
        this.context = context;
        this.id = id;
    }

    /** Registers the condition with {@code properties}, or updates them, if {@code still} holds. */
    public synchronized void publish(Map<String, ?> properties, BooleanSupplier still) {
        if (closed || !still.getAsBoolean()) {
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>(properties);
        props.put(Condition.CONDITION_ID, id);
        try {
            if (registration == null) {
                registration = context.registerService(Condition.class, Condition.INSTANCE, props);
            } else {
                registration.setProperties(props);
            }
        } catch (IllegalStateException e) {
            // the bundle is stopping: nothing to publish any more
        }
    }

    /** Registers the condition with {@code properties}, or updates them. */
    public void publish(Map<String, ?> properties) {
        publish(properties, () -> true);
    }

    /** Unregisters the condition if it is registered. */
    public synchronized void withdraw() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
        }
    }

    /** Withdraws the condition for good. */
    public synchronized void close() {
        closed = true;
        withdraw();
    }
}
