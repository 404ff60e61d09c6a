package org.devrt.emulator.internal.e1000;

import java.util.concurrent.atomic.AtomicLong;

import org.devrt.emulator.internal.model.DmaFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a driver did wrong to one NIC (a ring length that is not a multiple of 128, a tail past the ring, a
 * descriptor the device cannot use): counted, and logged with the NIC's address, the first few at WARN and the rest
 * at DEBUG, so a broken driver cannot flood the log. Never thrown. Thread-safe.
 */
final class Complaints {
    private static final Logger LOG = LoggerFactory.getLogger(E1000Model.class);
    static final int LOGGED_AT_WARN = 10;

    private final String owner;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong badDescriptors = new AtomicLong();
    private volatile String last = "";

    Complaints(String owner) {
        this.owner = owner;
    }

    void complain(String message) {
        last = message;
        long n = count.incrementAndGet();
        if (n <= LOGGED_AT_WARN) {
            LOG.warn("{} e1000: {}{}", owner, message, n == LOGGED_AT_WARN ? " (further ones at DEBUG)" : "");
        } else {
            LOG.debug("{} e1000: {}", owner, message);
        }
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
            LOG.debug("{} e1000: {}", owner, message);
        } else {
            badDescriptor(message);
        }
    }

    long badDescriptors() {
        return badDescriptors.get();
    }

    long count() {
        return count.get();
    }

    String last() {
        return last;
    }
}
