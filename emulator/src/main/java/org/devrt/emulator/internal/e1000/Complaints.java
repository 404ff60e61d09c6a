package org.devrt.emulator.internal.e1000;

import java.util.concurrent.atomic.AtomicLong;

import org.devrt.emulator.internal.model.DmaFault;
import org.devrt.emulator.internal.model.DriverComplaints;
import org.slf4j.LoggerFactory;

/**
 * What a driver did wrong to one NIC (a ring length that is not a multiple of 128, a tail past the ring, a
 * descriptor the device cannot use), as {@link DriverComplaints} counts and logs it; the descriptors the device
 * could not use are counted apart too.
 */
final class Complaints extends DriverComplaints {
    private final AtomicLong badDescriptors = new AtomicLong();

    Complaints(String address) {
        super(LoggerFactory.getLogger(E1000Model.class), address + " e1000");
    }

    /** A descriptor the device could not use (skipped, or its buffer unreachable): counted apart, and logged. */
    void badDescriptor(String message) {
        badDescriptors.incrementAndGet();
        complain(message);
    }

    /**
     * A descriptor or buffer the device could not reach: a bad descriptor, unless bus mastering was off (the
     * system is taking the device from its driver), which is logged at DEBUG and not held against the driver.
     */
    void dmaRefused(String message, DmaFault cause) {
        if (cause.busMasterOff()) {
            note(message);
        } else {
            badDescriptor(message);
        }
    }

    long badDescriptors() {
        return badDescriptors.get();
    }
}
