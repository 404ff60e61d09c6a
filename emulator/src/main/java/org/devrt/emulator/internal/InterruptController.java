package org.devrt.emulator.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's interrupt thread: handlers of lines run on it, one call at a time, and calls for one line are never
 * concurrent (a line delivered on a writing thread, below, takes the same per-line turn). A line that goes up is
 * pushed onto a lock-free list of pending lines (each line at most once, its own {@link IrqLine#next} the link) and
 * the thread is unparked: raising an interrupt allocates nothing and takes no lock. The thread takes the whole list at
 * once and delivers in the order the lines were raised. Repeats of a line still asserted after its handler ran go
 * through a timer.
 *
 * <p>A line whose handler was attached for inline delivery ({@link org.devrt.hw.InterruptLine#attachInline}) and
 * that goes up while a thread is inside a register write ({@link #enterWrite}) is instead kept in that thread's own
 * list, and the thread calls its handler itself when its outermost write is done ({@link #exitWrite}), after the
 * function's and the model's locks are released: a frame one NIC sends reaches the receiving driver's handler on
 * the sending thread, as an emulator's vCPU thread injects an interrupt on its way back to the guest. Writes a
 * handler makes meanwhile add to the same list, which the thread drains in a loop rather than by nesting calls.
 */
final class InterruptController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InterruptController.class);

    private final AtomicReference<IrqLine> pending = new AtomicReference<>();
    /** Per thread: how many register writes it is inside, and the inline lines raised meanwhile (newest first). */
    private final ThreadLocal<Writer> writers = ThreadLocal.withInitial(Writer::new);
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

    private static final class Writer {
        int depth;
        IrqLine raised;
    }

    /** The calling thread starts a register write; pass what it returns to {@link #exitWrite}. */
    Object enterWrite() {
        Writer w = writers.get();
        w.depth++;
        return w;
    }

    /** The write {@link #enterWrite} began is done: the outermost one calls the handlers of the lines it raised. */
    void exitWrite(Object token) {
        Writer w = (Writer) token;
        if (w.depth > 1 || w.raised == null) {
            w.depth--;
            return;
        }
        try { // depth stays 1: what the handlers' own writes raise joins the list instead of nesting
            IrqLine taken;
            while ((taken = w.raised) != null && !closed) {
                w.raised = null;
                for (IrqLine line = reverse(taken); line != null; ) {
                    IrqLine next = line.next;
                    line.next = null;
                    line.deliver();
                    line = next;
                }
            }
        } finally {
            w.depth = 0;
            w.raised = null; // after close: nothing more is delivered
        }
    }

    /**
     * Delivers {@code line} as soon as possible: inline if it allows it and this thread is inside a register write,
     * else on the interrupt thread. The caller raises a line only once until it is delivered.
     */
    void raise(IrqLine line) {
        if (line.inline()) {
            Writer w = writers.get();
            if (w.depth > 0) {
                line.next = w.raised;
                w.raised = line;
                return;
            }
        }
        raiseOnThread(line);
    }

    /** Delivers {@code line} on the interrupt thread as soon as it is free. */
    void raiseOnThread(IrqLine line) {
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
            IrqLine first = reverse(taken); // the list is newest first
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

    private static IrqLine reverse(IrqLine taken) {
        IrqLine first = null;
        while (taken != null) {
            IrqLine next = taken.next;
            taken.next = first;
            first = taken;
            taken = next;
        }
        return first;
    }

    /** Stops the thread; a handler call in progress finishes, nothing more is delivered. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        LockSupport.unpark(thread);
    }
}
