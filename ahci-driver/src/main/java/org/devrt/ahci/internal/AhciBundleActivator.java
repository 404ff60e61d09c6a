package org.devrt.ahci.internal;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;

/**
 * Releases the framework's record of SCR's ConfigurationAdmin use in this bundle's name when it stops.
 *
 * <p>SCR gets and ungets ConfigurationAdmin through this bundle's context (ConfigAdminTracker, configuring
 * {@link AhciDriver}). Felix 7.0.5 keeps a usage record at count 0 for each such pair in its ServiceRegistry's
 * in-use map, keyed by this Bundle, and ServiceRegistry.ungetServices(bundle) skips records at 0 on stop: each
 * uninstalled copy of this bundle (its revision, class loader, jar index) stayed reachable. A get and unget through
 * ServiceObjects reuses that record and, at count 0, removes it. stop() runs after SCR has disposed this bundle's
 * components (SCR does that on the synchronous STOPPING event), while this context is still valid.
 */
public final class AhciBundleActivator implements BundleActivator {
    static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";

    @Override
    public void start(BundleContext context) {
    }

    @Override
    public void stop(BundleContext context) {
        releaseUsageRecords(context, CONFIGURATION_ADMIN);
    }

    /** A ServiceObjects get and unget of each service of that class, which drops a record left at count 0. */
    static void releaseUsageRecords(BundleContext context, String objectClass) {
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(objectClass, null);
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return;
        }
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            release(context, ref);
        }
    }

    private static <S> void release(BundleContext context, ServiceReference<S> ref) {
        try {
            ServiceObjects<S> objects = context.getServiceObjects(ref);
            S service = objects == null ? null : objects.getService();
            if (service != null) {
                objects.ungetService(service);
            }
        } catch (RuntimeException e) {
            // the service went away meanwhile: the framework flushed its records itself
        }
    }
}
