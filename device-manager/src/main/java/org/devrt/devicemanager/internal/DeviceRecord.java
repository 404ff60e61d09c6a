package org.devrt.devicemanager.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

import org.devrt.device.DeviceState;
import org.devrt.device.DeviceStatus;
import org.devrt.pci.DriverAttachment;
import org.devrt.pci.PciFunction;

/** The device manager's record of one device. Guarded by the device manager's lock. */
final class DeviceRecord {
    final String id;
    final PciFunction function;
    DeviceState state = DeviceState.DISCOVERED;
    String reason = "";
    /** What the driver of the current attempt reported it could not bring up ({@code DriverContext.problem}). */
    String problem = "";
    /** The driver bound, being bound, or last tried. */
    String driverId = "";
    /** Symbolic name of the driver bundle bound or being bound. */
    String driverBsn = "";
    /** Bundle id of the bound driver, or -1. */
    long driverBundleId = -1;
    /** Counts attach attempts; a completion for an older attempt is stale. */
    long attempt;
    /** Failures in a row, for back-off and quarantine. */
    int failures;
    /**
     * Set when the bound driver's bundle stopped or was uninstalled: the device waits for that driver to come
     * back or for the user's {@code bind}, and is not given another driver behind the user's back.
     */
    String heldForBsn = "";
    /**
     * Driver bundles (symbolic names) that failed this device as often as the manager tries: the next best driver is
     * tried instead, as Linux's driver core goes on to the next matching driver when a probe fails. Cleared by
     * {@code bind}; a re-plug makes a new record.
     */
    final Set<String> givenUp = new HashSet<>();
    /**
     * Set by {@code bind} for the evaluation it asks for: a driver bundle a user installed and left unstarted is
     * started then (the manager starts only its own otherwise). Guarded by the manager.
     */
    boolean bindAsked;
    /** An orderly removal is under way: its driver is detached, nothing attaches one again (the manager's lock). */
    boolean leaving;
    /**
     * The driver whose {@code attach} call has not returned yet, or "": one cut off (unbound, timed out) may still
     * run in the driver, and no other attach starts until it is back and detached.
     */
    String attachRunning = "";
    /** An attach waits for {@link #attachRunning}: the device is evaluated again when it returns. */
    boolean evaluateAfterAttach;
    DriverAttachment attachment;
    PciFunction.AccessGrant grant;
    ScheduledFuture<?> retry;
    /** The time-out of the attach or driver-service wait in progress, cancelled when it ends. */
    ScheduledFuture<?> timer;

    DeviceRecord(String id, PciFunction function) {
        this.id = id;
        this.function = function;
    }

    /** A device's id: its bus, its address and, where the hardware has one, its serial number. */
    static String idOf(PciFunction f) {
        return f.busId() + "/" + f.address() + f.serialNumber().map(s -> "/" + s).orElse("");
    }

    /**
     * The driver is named while it is bound, being bound, or the one that failed; not once the device has none
     * ({@link #driverId} keeps the last one tried, for the device's events): 'devices' showed a driver that had
     * left beside "no driver matches".
     */
    DeviceStatus status() {
        boolean hasDriver = switch (state) {
        case INSTALLING, ATTACHING, BOUND, FAILED, QUARANTINED -> true;
        case DISCOVERED, MATCHING, NO_DRIVER, REMOVED -> false;
        };
        return new DeviceStatus(id, state, hasDriver ? driverId : "", reason);
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    boolean isBusy() {
        return state == DeviceState.ATTACHING || state == DeviceState.INSTALLING;
    }
}
