package org.devrt.benchmarks.hotplug.driver;

import java.util.Dictionary;
import java.util.Hashtable;

import org.devrt.pci.DriverAttachment;
import org.devrt.pci.DriverContext;
import org.devrt.pci.PciDriver;
import org.devrt.pci.PciFunction;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Attach registers a {@link HotPlugDevice} service; detach unregisters it. Nothing touches the device. */
final class HotPlugDriver implements PciDriver {
    private final BundleContext context;

    HotPlugDriver(BundleContext context) {
        this.context = context;
    }

    @Override
    public DriverAttachment attach(PciFunction function, DriverContext ctx) {
        Dictionary<String, Object> props = new Hashtable<>(ctx.serviceProperties());
        props.put("devrt.device.type", HotPlugDevice.TYPE);
        ServiceRegistration<HotPlugDevice> device =
                context.registerService(HotPlugDevice.class, new HotPlugDevice() { }, props);
        return () -> {
            try {
                device.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and its services went first
            }
        };
    }
}
