package org.devrt.itests.testdriver;

/**
 * A service each test driver bundle registers (no {@code devrt.device.id}, so it is not a device service) whose
 * properties tell the tests what the device manager did to the driver. The tests read the properties only, by
 * name: the names are compile-time constants, so using them does not load this class in the probe.
 */
public interface DriverTrace {
    /** The driver id (String). */
    String DRIVER_ID = "test.driver.id";
    /** Calls of {@code attach} (Integer). */
    String ATTACH_CALLS = "test.attach.calls";
    /** When each {@code attach} began, {@code System.currentTimeMillis()} (long[]). */
    String ATTACH_MILLIS = "test.attach.millis";
    /** Attaches that returned an attachment (Integer). */
    String ATTACHED = "test.attached";
    /** The most {@code attach} calls that were running at one time (Integer): a device attached twice at once. */
    String MOST_CONCURRENT_ATTACHES = "test.attach.concurrent";
    /** Calls of {@code detach} (Integer). */
    String DETACH_CALLS = "test.detach.calls";
    /** What a hanging attach got when its access was revoked, one message per attach (String[]). */
    String REVOKED = "test.revoked";
}
