package org.devrt.network.internal.stack;

import java.io.InterruptedIOException;

/** Waiting on a monitor until a deadline (System.nanoTime), as the sockets' receive does. */
final class Deadline {
    private Deadline() {
    }

    /**
     * Waits on {@code monitor} (held by the caller) until notified or {@code deadline}; false when the deadline has
     * passed. An interrupt keeps the thread's flag and becomes an InterruptedIOException.
     */
    static boolean await(Object monitor, long deadline) throws InterruptedIOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            monitor.wait(left / 1_000_000, (int) (left % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting");
        }
    }
}
