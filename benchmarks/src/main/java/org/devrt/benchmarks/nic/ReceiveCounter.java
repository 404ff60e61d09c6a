package org.devrt.benchmarks.nic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Frames received, counted by one receiving thread and read by the sender: a release store per frame (a plain store
 * on x86), an acquire load on the sender's side; padded so that the sender's reads do not share a cache line with
 * anything else the receiver writes. Also remembers which thread receives, for the allocation figures.
 */
final class ReceiveCounter {
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(ReceiveCounter.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long p01, p02, p03, p04, p05, p06, p07;
    private long count;
    long q01, q02, q03, q04, q05, q06, q07;
    private volatile Thread thread;

    /** One frame more; only ever called from the receiving thread. */
    void increment() {
        if (thread == null) {
            thread = Thread.currentThread();
        }
        COUNT.setRelease(this, (long) COUNT.getOpaque(this) + 1);
    }

    long get() {
        return (long) COUNT.getAcquire(this);
    }

    Thread thread() {
        return thread;
    }
}
