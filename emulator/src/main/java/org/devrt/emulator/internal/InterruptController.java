package org.devrt.emulator.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's interrupt thread: every handler of every line runs on it, one call at a time, so calls for one
 * line are never concurrent. A line that goes up is pushed onto a lock-free list of pending lines (each line at
 * most once, its own {@link IrqLine#next} the link) and the thread is unparked: raising an interrupt allocates
 * nothing and takes no lock. The thread takes the whole list at once and delivers in the order the lines were
 * raised. Repeats of a line still asserted after its handler ran go through a timer.
 */
final class InterruptController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InterruptController.class);

    private final AtomicReference<IrqLine> pending = new AtomicReference<>();
    private final Thread thread;
    private final ScheduledThreadPoolExecutor timer;
    private volatile boolean closed;

    InterruptController(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, name + "-timer");
            t.setDaemon(true);
            return t;
        });
        timer.prestartAllCoreThreads(); // with the machine, not on the first repeat: a fixed set of threads
        thread.start();
    }

    /** Delivers {@code line} on the interrupt thread as soon as it is free; the caller raises a line only once. */
    void raise(IrqLine line) {
        IrqLine head;
        do {
            head = pending.get();
            line.next = head;
        } while (!pending.compareAndSet(head, line));
        LockSupport.unpark(thread);
    }

    /** {@link #raise}s {@code line} after {@code delayMillis}. */
    void raiseLater(IrqLine line, long delayMillis) {
        try {
            timer.schedule(() -> raise(line), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the machine is shutting down: nothing is delivered any more
        }
    }

    private void run() {
        while (!closed) {
            IrqLine taken = pending.getAndSet(null);
            if (taken == null) {
                LockSupport.park(this);
                continue;
            }
            IrqLine first = null; // the list is newest first: reverse it
            while (taken != null) {
                IrqLine next = taken.next;
                taken.next = first;
                first = taken;
                taken = next;
            }
            while (first != null && !closed) {
                IrqLine line = first;
                first = line.next;
                line.next = null;
                try {
                    line.deliver();
                } catch (RuntimeException | Error e) {
                    LOG.error("delivery of an interrupt failed; the interrupt thread goes on", e);
                }
            }
        }
    }

    /** Stops the thread; a handler call in progress finishes, nothing more is delivered. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        LockSupport.unpark(thread);
    }
}
