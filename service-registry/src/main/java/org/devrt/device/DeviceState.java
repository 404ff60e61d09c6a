package org.devrt.device;

/** Where a device stands in the device manager's lifecycle. Only {@link #BOUND} needs no reason. */
public enum DeviceState {
    /** Seen on a bus, not yet looked at. */
    DISCOVERED,
    /** Being matched against the installed drivers and the driver repository. */
    MATCHING,
    /** The chosen driver bundle is being installed and started. */
    INSTALLING,
    /** The driver's attach is running. */
    ATTACHING,
    /** A driver is attached and serves the device. */
    BOUND,
    /** No driver matches, or the user unbound it or uninstalled its driver. */
    NO_DRIVER,
    /** The last attach failed; a retry is scheduled. */
    FAILED,
    /** Attach failed too often; no more retries until {@code bind} or a re-plug. */
    QUARANTINED,
    /** Gone from its bus. */
    REMOVED
}
