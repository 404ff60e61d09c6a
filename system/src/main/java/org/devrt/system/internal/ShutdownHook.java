package org.devrt.system.internal;

import java.time.Duration;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the framework when the JVM is asked to end (SIGTERM, SIGHUP, {@code System.exit}; SIGINT when no
 * interactive shell takes it as Ctrl-C). The bnd launcher has no such hook, so without this one the JVM ended with
 * every bundle still active: the VFS never flushed its block caches nor unmounted its volumes (the next boot found
 * them dirty and repaired them, and writes not yet synced were lost), and drivers never detached. The hook stops the system bundle and waits for the framework to stop, at
 * most {@link #STOP_TIMEOUT}, so that a bundle that hangs in its stop cannot keep the JVM from ending; if it does
 * not stop in that time the JVM ends with status {@link #UNCLEAN_STATUS} (a script sees that volumes may not have
 * been flushed, where {@code exit} said 0); a stop already
 * under way (Gogo's shell stops the framework when its loop ends, {@code stop 0} does) is waited for in the same way,
 * or the JVM would end halfway through it. When the framework has stopped for another reason, the hook is withdrawn
 * with this component.
 */
@Component(immediate = true, service = {})
public final class ShutdownHook {
    /**
     * How long the JVM's end waits for the framework to stop: more than a slow disk's flush may take (the VFS waits
     * for one up to 60 s while it makes progress, the device manager up to its 90 s detach time-out). At 20 s, an
     * {@code exit} during a large copy to a slow disk left every volume dirty and a file's chain longer than its size.
     */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(100);
    /** The JVM's status when the framework did not stop in time. */
    static final int UNCLEAN_STATUS = 1;
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownHook.class);

    private final Thread hook;

    @Activate
    public ShutdownHook(BundleContext context) {
        Bundle system = context.getBundle(0);
        this.hook = new Thread(() -> {
            if (!stopFramework(system, STOP_TIMEOUT)) {
                Runtime.getRuntime().halt(UNCLEAN_STATUS);
            }
        }, "devrt-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is ending: this deactivation is the hook's own stop at work
        }
    }

    /**
     * Stops {@code system} and waits up to {@code timeout} for the framework to stop.
     *
     * @return whether it stopped within the time
     */
    static boolean stopFramework(Bundle system, Duration timeout) {
        int state = system.getState();
        if (state != Bundle.ACTIVE && state != Bundle.STARTING && state != Bundle.STOPPING) {
            return true;
        }
        LOG.info("the JVM is ending: stopping the framework (at most {} s)", timeout.toSeconds());
        try {
            if (state != Bundle.STOPPING) {
                system.stop();
            }
            if (!(system instanceof Framework framework)) {
                return false;
            }
            FrameworkEvent event = framework.waitForStop(timeout.toMillis());
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.warn("the framework did not stop within {} s; the JVM ends anyway, with status {}",
                        timeout.toSeconds(), UNCLEAN_STATUS);
                return false;
            }
            return true;
        } catch (BundleException | RuntimeException e) {
            LOG.warn("cannot stop the framework as the JVM ends: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
