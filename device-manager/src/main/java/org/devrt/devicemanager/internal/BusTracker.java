package org.devrt.devicemanager.internal;

import org.devrt.pci.PciBus;
import org.devrt.pci.PciBusListener;
import org.devrt.pci.PciFunction;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Subscribes the device manager to every PCI bus service; a bus that goes takes its devices with it. */
final class BusTracker implements ServiceTrackerCustomizer<PciBus, PciBus.Subscription> {
    private static final Logger LOG = LoggerFactory.getLogger(BusTracker.class);
    private final DeviceManager manager;

    BusTracker(DeviceManager manager) {
        this.manager = manager;
    }

    @Override
    public PciBus.Subscription addingService(ServiceReference<PciBus> ref) {
        PciBus bus = manager.driverContext().getService(ref);
        if (bus == null) {
            LOG.warn("PCI bus {} is registered but its service could not be got; its devices are not looked at",
                    ref.getProperty(PciBus.BUS_ID));
            manager.busSeen(ref, true); // nothing of it to wait for
            return null;
        }
        LOG.info("PCI bus {}: {}", bus.id(), bus.description());
        Tracked tracked = new Tracked(bus, bus.subscribe(new PciBusListener() {
            @Override
            public void functionAdded(PciFunction f) {
                manager.functionAdded(f);
            }

            @Override
            public void functionRemoving(PciFunction f) {
                manager.functionRemoving(f);
            }

            @Override
            public void functionRemoved(PciFunction f) {
                manager.functionRemoved(f);
            }
        }));
        manager.busSeen(ref, true); // its functions are recorded: subscribing told of each
        return tracked;
    }

    @Override
    public void modifiedService(ServiceReference<PciBus> ref, PciBus.Subscription s) {
    }

    /**
     * The bus's service is unregistering (its bundle stopping): the service is still good until this returns, so its
     * functions still answer and each is removed in an orderly way, its driver detached first (a disk's volumes
     * flushed). Taken as surprise removals, the functions a user plugged from the shell lost their disks' unwritten
     * changes when the emulator stopped, while the configured ones, which the emulator removes before its bus goes,
     * did not.
     */
    @Override
    public void removedService(ServiceReference<PciBus> ref, PciBus.Subscription s) {
        s.close();
        Tracked t = (Tracked) s;
        for (PciFunction f : t.bus.functions()) {
            manager.functionRemoving(f);
            manager.functionRemoved(f);
        }
        manager.driverContext().ungetService(ref);
        manager.busSeen(ref, false);
    }

    /** A subscription that remembers its bus. */
    record Tracked(PciBus bus, PciBus.Subscription inner) implements PciBus.Subscription {
        @Override
        public void close() {
            inner.close();
        }
    }
}
