package org.devrt.itests.testdriver;

/**
 * The device service a test driver registers when it attaches, with the driver context's service properties and
 * {@code devrt.device.type=test}; it is unregistered on detach.
 */
public interface TestDevice {
    /** {@code devrt.device.type} of a test device service. */
    String TYPE = "test";
}
