package org.devrt.system.internal.log;

import org.devrt.system.internal.diag.FrameworkErrorLog;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's events in the log, as the Log Service specification has a log service record them (101.6):
 * framework events on {@code Events.Framework} (ERROR and WARNING at their level, one line each with the exception's
 * causes, the stack trace at DEBUG; the others
 * INFO), bundle events on {@code Events.Bundle} (INFO), service events on {@code Events.Service} (MODIFIED at DEBUG,
 * the others INFO). A level check first: with run.bndrun's {@code org.slf4j.simpleLogger.log.Events=warn} only
 * framework errors and warnings are written, and an event costs one check.
 */
@Component(immediate = true, service = {})
public final class FrameworkEventLog implements FrameworkListener, SynchronousBundleListener, AllServiceListener {
    private static final Logger FRAMEWORK = LoggerFactory.getLogger("Events.Framework");
    private static final Logger BUNDLE = LoggerFactory.getLogger("Events.Bundle");
    private static final Logger SERVICE = LoggerFactory.getLogger("Events.Service");

    private final BundleContext context;
    /** Felix's own log, routed to SLF4J while this component is active; null if it could not be. */
    private final FelixLog felix;

    @Activate
    public FrameworkEventLog(BundleContext context) {
        this.context = context;
        context.addFrameworkListener(this);
        context.addBundleListener(this);
        context.addServiceListener(this);
        felix = FelixLog.install(context.getBundle(0));
    }

    @Deactivate
    void deactivate() {
        if (felix != null) {
            felix.uninstall();
        }
        context.removeServiceListener(this);
        context.removeBundleListener(this);
        context.removeFrameworkListener(this);
    }

    /**
     * Errors and warnings in one line each, the exception's chain of causes included, the stack trace at DEBUG: the
     * log goes to the terminal, where a bundle whose activator threw printed 25 lines of trace.
     */
    @Override
    public void frameworkEvent(FrameworkEvent event) {
        switch (event.getType()) {
            case FrameworkEvent.ERROR -> {
                FRAMEWORK.error(oneLine("FrameworkEvent ERROR", event));
                traceAtDebug(event);
            }
            case FrameworkEvent.WARNING -> {
                FRAMEWORK.warn(oneLine("FrameworkEvent WARNING", event));
                traceAtDebug(event);
            }
            default -> {
                if (FRAMEWORK.isInfoEnabled()) {
                    FRAMEWORK.info(text("FrameworkEvent " + frameworkType(event.getType()), event.getBundle()), event.getThrowable());
                }
            }
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (BUNDLE.isInfoEnabled()) {
            BUNDLE.info(text("BundleEvent " + bundleType(event.getType()), event.getBundle()));
        }
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        boolean modified = event.getType() == ServiceEvent.MODIFIED;
        if (modified ? SERVICE.isDebugEnabled() : SERVICE.isInfoEnabled()) {
            String text = text("ServiceEvent " + serviceType(event.getType()), event.getServiceReference().getBundle())
                    + " " + Slf4jLogger.describe(event.getServiceReference());
            if (modified) {
                SERVICE.debug(text);
            } else {
                SERVICE.info(text);
            }
        }
    }

    private static String oneLine(String what, FrameworkEvent event) {
        String text = text(what, event.getBundle());
        return event.getThrowable() == null ? text : text + ": " + FrameworkErrorLog.describe(event.getThrowable());
    }

    private static void traceAtDebug(FrameworkEvent event) {
        if (event.getThrowable() != null && FRAMEWORK.isDebugEnabled()) {
            FRAMEWORK.debug(text("the stack trace of FrameworkEvent " + frameworkType(event.getType()),
                    event.getBundle()), event.getThrowable());
        }
    }

    /** "BundleEvent STARTED devrt.vfs (12)". */
    static String text(String what, Bundle bundle) {
        return bundle == null ? what : what + " " + bundle.getSymbolicName() + " (" + bundle.getBundleId() + ")";
    }

    static String frameworkType(int type) {
        return switch (type) {
            case FrameworkEvent.STARTED -> "STARTED";
            case FrameworkEvent.ERROR -> "ERROR";
            case FrameworkEvent.WARNING -> "WARNING";
            case FrameworkEvent.INFO -> "INFO";
            case FrameworkEvent.PACKAGES_REFRESHED -> "PACKAGES REFRESHED";
            case FrameworkEvent.STARTLEVEL_CHANGED -> "STARTLEVEL CHANGED";
            case FrameworkEvent.STOPPED -> "STOPPED";
            case FrameworkEvent.STOPPED_UPDATE -> "STOPPED UPDATE";
            case FrameworkEvent.STOPPED_BOOTCLASSPATH_MODIFIED -> "STOPPED BOOTCLASSPATH MODIFIED";
            case FrameworkEvent.WAIT_TIMEDOUT -> "WAIT TIMEDOUT";
            case FrameworkEvent.STOPPED_SYSTEM_REFRESHED -> "STOPPED SYSTEM REFRESHED";
            default -> "type " + type;
        };
    }

    static String bundleType(int type) {
        return switch (type) {
            case BundleEvent.INSTALLED -> "INSTALLED";
            case BundleEvent.RESOLVED -> "RESOLVED";
            case BundleEvent.LAZY_ACTIVATION -> "LAZY ACTIVATION";
            case BundleEvent.STARTING -> "STARTING";
            case BundleEvent.STARTED -> "STARTED";
            case BundleEvent.STOPPING -> "STOPPING";
            case BundleEvent.STOPPED -> "STOPPED";
            case BundleEvent.UPDATED -> "UPDATED";
            case BundleEvent.UNRESOLVED -> "UNRESOLVED";
            case BundleEvent.UNINSTALLED -> "UNINSTALLED";
            default -> "type " + type;
        };
    }

    static String serviceType(int type) {
        return switch (type) {
            case ServiceEvent.REGISTERED -> "REGISTERED";
            case ServiceEvent.MODIFIED -> "MODIFIED";
            case ServiceEvent.UNREGISTERING -> "UNREGISTERING";
            case ServiceEvent.MODIFIED_ENDMATCH -> "MODIFIED ENDMATCH";
            default -> "type " + type;
        };
    }
}
