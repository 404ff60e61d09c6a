package org.devrt.devicemanager.internal;

import org.devrt.pci.PciDriver;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/** Tells the device manager when a driver service arrives, and, synchronously, when one is leaving. */
final class DriverTracker implements ServiceTrackerCustomizer<PciDriver, PciDriver> {
    private final DeviceManager manager;

    DriverTracker(DeviceManager manager) {
        this.manager = manager;
    }

    @Override
    public PciDriver addingService(ServiceReference<PciDriver> ref) {
        PciDriver driver = ref.getBundle().getBundleContext() == null ? null
                : manager.driverContext().getService(ref);
        if (driver != null) {
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
        manager.driverLeaving(ref);
        manager.driverContext().ungetService(ref);
    }
}
