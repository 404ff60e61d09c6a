package org.devrt.benchmarks.hotplug.driver;

/**
 * The device service the benchmark's driver registers when it attaches, with the driver context's service
 * properties and {@code devrt.device.type=hotplug-bench}; unregistered on detach. The benchmark waits for it.
 */
public interface HotPlugDevice {
    /** {@code devrt.device.type} of the service. */
    String TYPE = "hotplug-bench";
}
