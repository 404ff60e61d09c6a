package org.devrt.emulator.internal.model;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * What a driver did to one device that its specification forbids (a register written in a state that does not allow
 * it, a ring or an index the device cannot use): counted, so that a driver's tests can fail on it, and logged with
 * the device's address and model, the first few at WARN and the rest at DEBUG, so that a broken driver cannot flood
 * the log. The model goes on as the silicon would. Never thrown. Thread-safe.
 */
public class DriverComplaints {
    /** How many are logged at WARN before the rest go to DEBUG. */
    public static final int LOGGED_AT_WARN = 10;

    private final Logger log;
    private final String owner;
    private final AtomicLong count = new AtomicLong();
    private volatile String last = "";

    /** @param owner the device, as the log names it: its address and model, e.g. {@code 0000:00:03.0 e1000} */
    public DriverComplaints(Logger log, String owner) {
        this.log = log;
        this.owner = owner;
    }

    public void complain(String message) {
        last = message;
        long n = count.incrementAndGet();
        if (n <= LOGGED_AT_WARN) {
            log.warn("{}: {}{}", owner, message, n == LOGGED_AT_WARN ? " (further ones at DEBUG)" : "");
        } else {
            log.debug("{}: {}", owner, message);
        }
    }

    /** Said at DEBUG, and not held against the driver. */
    protected void note(String message) {
        log.debug("{}: {}", owner, message);
    }

    /** How many complaints so far. */
    public long count() {
        return count.get();
    }

    /** The last complaint, or "". */
    public String last() {
        return last;
    }
}
