package org.devrt.emulator.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The machine's interrupt thread: every handler of every line runs on it, one call at a time, so calls for one
 * line are never concurrent. Lines schedule their deliveries here.
 */
final class InterruptController implements AutoCloseable {
    private final ScheduledThreadPoolExecutor thread;

    InterruptController(String name) {
        thread = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code delivery} on the interrupt thread after {@code delayMillis} (0: as soon as it is free). */
    void schedule(Runnable delivery, long delayMillis) {
        try {
            thread.schedule(delivery, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the machine is shutting down: nothing is delivered any more
        }
    }

    /** Stops the thread; a handler call in progress finishes, nothing more is delivered. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
