package org.devrt.benchmarks.hotplug.driver;

import java.util.Dictionary;
import java.util.Hashtable;

import org.devrt.pci.PciDriver;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Registers the {@link HotPlugDriver} with the driver id of the bundle's {@value #DRIVER_ID} header. */
public final class HotPlugDriverActivator implements BundleActivator {
    public static final String DRIVER_ID = "HotPlug-Driver-Id";

    private ServiceRegistration<PciDriver> registration;

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("devrt.driver.id", context.getBundle().getHeaders().get(DRIVER_ID));
        registration = context.registerService(PciDriver.class, new HotPlugDriver(context), props);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister(); // the device manager detaches this driver's devices now, synchronously
    }
}
