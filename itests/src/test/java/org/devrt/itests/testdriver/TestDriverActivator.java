package org.devrt.itests.testdriver;

import java.util.Dictionary;
import java.util.Hashtable;

import org.devrt.pci.PciDriver;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers the bundle's {@link TestDriver} as a {@code PciDriver} with {@code devrt.driver.id} from the header
 * {@value #DRIVER_ID}, behaving as the header {@value #BEHAVIOUR} says; {@value #START_DELAY} makes the start
 * slow (the device manager starts driver bundles on its worker thread). With the behaviour {@value #SILENT} it
 * registers nothing: a bundle that declares a driver and never provides it.
 */
public final class TestDriverActivator implements BundleActivator {
    public static final String DRIVER_ID = "Test-Driver-Id";
    public static final String BEHAVIOUR = "Test-Driver-Behaviour";
    public static final String START_DELAY = "Test-Driver-Start-Delay-Millis";
    public static final String SILENT = "silent";

    private TestDriver driver;
    private ServiceRegistration<PciDriver> registration;

    @Override
    public void start(BundleContext context) throws Exception {
        Dictionary<String, String> headers = context.getBundle().getHeaders();
        String id = headers.get(DRIVER_ID);
        if (id == null) {
            throw new IllegalStateException("test driver bundle without the " + DRIVER_ID + " header");
        }
        String delay = headers.get(START_DELAY);
        if (delay != null) {
            Thread.sleep(Long.parseLong(delay.trim()));
        }
        if (SILENT.equals(headers.get(BEHAVIOUR))) {
            return;
        }
        driver = new TestDriver(context, id, headers.get(BEHAVIOUR));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("devrt.driver.id", id);
        registration = context.registerService(PciDriver.class, driver, props);
    }

    @Override
    public void stop(BundleContext context) {
        if (registration == null) {
            return; // silent
        }
        registration.unregister(); // the device manager detaches this driver's devices now, synchronously
        driver.close();
    }
}
