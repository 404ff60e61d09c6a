package org.devrt.network.internal.stack;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that drives a {@link Stack} in the runtime: it polls, asks when to poll next, and parks until then
 * or until something wakes it (a frame arrived, a send queued a frame for ARP, the configuration changed). The
 * stack itself never sleeps. A bug that throws out of {@code poll} is logged and the loop goes on.
 */
public final class StackThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StackThread.class);
    /** The longest park: a safety net should a wake-up ever be missed. */
    private static final long MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Stack stack;
    private final LongSupplier clock;
    private volatile Thread thread;
    private volatile boolean running;
    private long lastFailureLog;

    /** A stack on the monotonic clock, woken by this thread's {@link #wake()}. */
    public StackThread(StackConfig config) {
        this.clock = System::nanoTime;
        this.stack = new Stack(config, clock, this::wake);
    }

    public Stack stack() {
        return stack;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "devrt-network");
        thread.setDaemon(true);
        thread.start();
    }

    /** Makes the thread poll now. Safe from any thread, allocates nothing. */
    public void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void loop() {
        while (running) {
            long at;
            try {
                stack.poll();
                at = stack.pollAt();
            } catch (RuntimeException e) {
                logFailure(clock.getAsLong(), e);
                at = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(10);
            }
            long wait = at == Long.MIN_VALUE ? 0 : Math.min(at - clock.getAsLong(), MAX_PARK_NANOS);
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    private void logFailure(long now, RuntimeException e) {
        if (now - lastFailureLog > TimeUnit.SECONDS.toNanos(1)) {
            lastFailureLog = now;
            LOG.error("the network stack failed while polling; it goes on", e);
        }
    }

    /** Stops the thread and waits for it. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
