package org.devrt.devicemanager.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.devrt.pci.PciDriver;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Tells the device manager when a driver service arrives, and, synchronously, when one is leaving; and holds the
 * drivers that are there. The manager looks drivers up here, not in the {@link org.osgi.util.tracker.ServiceTracker}:
 * a tracker adds a service only after {@link #addingService} returns, so an evaluation that the arrival queued could
 * run first, find no driver and wait for an arrival that has already happened. Here the driver is recorded before
 * the manager is told.
 */
final class DriverTracker implements ServiceTrackerCustomizer<PciDriver, PciDriver> {
    private final DeviceManager manager;
    private final Map<ServiceReference<PciDriver>, PciDriver> available = new ConcurrentHashMap<>();

    DriverTracker(DeviceManager manager) {
        this.manager = manager;
    }

    @Override
    public PciDriver addingService(ServiceReference<PciDriver> ref) {
        PciDriver driver = ref.getBundle().getBundleContext() == null ? null
                : manager.driverContext().getService(ref);
        if (driver != null) {
            available.put(ref, driver);
            manager.driverArrived(ref);
        }
        return driver;
    }

    @Override
    public void modifiedService(ServiceReference<PciDriver> ref, PciDriver driver) {
        manager.driverArrived(ref);
    }

    @Override
    public void removedService(ServiceReference<PciDriver> ref, PciDriver driver) {
        // Out of the offer first: the detaches below can take a minute (a volume's flush), and a device evaluated
        // meanwhile (hot plug, a retry, 'bind') found the leaving driver and ended BOUND to a stopped bundle.
        available.remove(ref);
        manager.driverLeaving(ref);
        manager.driverContext().ungetService(ref);
    }

    /** The drivers registered and not leaving. */
    Set<ServiceReference<PciDriver>> references() {
        return available.keySet();
    }

    /** The driver of {@code ref}, or null if it has gone. */
    PciDriver driver(ServiceReference<PciDriver> ref) {
        return available.get(ref);
    }
}
