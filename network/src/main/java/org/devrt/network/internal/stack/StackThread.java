package org.devrt.network.internal.stack;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that drives a {@link Stack} in the runtime: it polls, asks when to poll next, and parks until then
 * or until something wakes it (a send queued a frame for ARP, the configuration changed, a poll on another thread
 * left something due sooner than planned). Frames from drivers do not wake it: one is taken in on the driver's
 * thread when the stack is free, or by the thread holding the stack when it lets go ({@link Stack#frameArrived}),
 * so that a datagram reaches its socket with no thread hand-off, as Linux's softirq runs on the CPU the packet came
 * in on. The stack itself never sleeps. A bug that throws out of {@code poll} is logged and the loop goes on.
 */
public final class StackThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StackThread.class);
    /** The longest park: a safety net should a wake-up ever be missed. */
    private static final long MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Stack stack;
    private final LongSupplier clock;
    private volatile Thread thread;
    private volatile boolean running;
    /**
     * When the thread will next poll by itself: set under the stack's lock when it plans ({@link #plan}), back to
     * {@link #AWAKE} once it is up again (it then polls before it plans anew).
     */
    private volatile long plannedAt = AWAKE;
    private static final long AWAKE = Long.MIN_VALUE;
    /**
     * Set by {@link #wake}: the thread polls again before it parks. The park permit alone is not enough: the thread
     * may spend it while it waits for the stack's lock (a ReentrantLock parks too).
     */
    private volatile boolean woken;
    /** The loop's own: how long it parks after its poll ({@link #plan}). */
    private long plannedWait;
    private final LongConsumer planner = this::plan;
    private long lastFailureLog;

    /** A stack on the monotonic clock, woken by this thread's {@link #wake()}. */
    public StackThread(StackConfig config) {
        this.clock = System::nanoTime;
        this.stack = new Stack(config, clock, this::wake, this::afterInlinePoll);
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
        woken = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Under the stack's lock, after a poll on another thread: the thread's plan, made under the same lock, is either
     * still to come (it will see what this poll left) or made, and then it must come sooner if this poll left
     * something due before it.
     */
    private void afterInlinePoll(long at) {
        long planned = plannedAt;
        if (planned != AWAKE && at != Long.MAX_VALUE && (at == Long.MIN_VALUE || at - planned < 0)) {
            wake();
        }
    }

    private void loop() {
        while (running) {
            woken = false;
            try {
                stack.pollAndPlan(planner);
            } catch (RuntimeException | Error e) { // an Error too (a refreshed bundle's LinkageError, a stack overflow):
                // it ended the thread silently, and timers and lo then ran only when a NIC frame happened to arrive
                logFailure(clock.getAsLong(), e);
                plannedWait = TimeUnit.MILLISECONDS.toNanos(10);
                plannedAt = AWAKE;
            }
            long wait = plannedWait;
            if (wait > 0 && !woken) {
                LockSupport.parkNanos(this, wait);
            }
            plannedAt = AWAKE;
        }
    }

    /** Under the stack's lock: when to poll next. */
    private void plan(long at) {
        long now = clock.getAsLong();
        long wait = at == Long.MIN_VALUE ? 0 : Math.min(at - now, MAX_PARK_NANOS);
        plannedWait = wait;
        plannedAt = wait > 0 ? now + wait : AWAKE;
    }

    private void logFailure(long now, Throwable e) {
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
