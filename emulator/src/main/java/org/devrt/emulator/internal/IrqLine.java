package org.devrt.emulator.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.devrt.hw.InterruptHandler;
import org.devrt.pci.PciAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function's INTx# line, level-triggered: while the model holds it asserted, INTx is not disabled in the
 * Command register and a handler is attached, the handler is called on the machine's interrupt thread. If the
 * line is still asserted when the handler returns (a cause not yet acknowledged), it is called again a
 * millisecond later; a new assertion during a call is delivered at once. A handler attached for inline delivery may
 * instead be called on the thread whose register write raised the line ({@link InterruptController}). A delivery
 * that finds a call in progress (on another thread, or further up its own) does not wait for it: it leaves a mark
 * ({@link #missed}) that the call in progress finds when it ends, and the line is delivered again then if it is
 * still asserted. So neither the interrupt thread nor a writing thread ever blocks on a handler. Thread-safe.
 */
final class IrqLine {
    private static final Logger LOG = LoggerFactory.getLogger(IrqLine.class);
    static final long REPEAT_MILLIS = 1;
    private static final int STORM_WARNING = 1000;

    private final InterruptController controller;
    private final PciAddress address;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ReentrantLock calling = new ReentrantLock();
    private volatile boolean asserted;
    private volatile boolean masked;
    private volatile InterruptHandler handler;
    private volatile boolean inline;
    private int repeats;
    /** A delivery found a call in progress: the caller delivers again when it ends. */
    private volatile boolean missed;
    /** The next line in the controller's list of pending lines (owned by the controller while scheduled). */
    IrqLine next;

    IrqLine(InterruptController controller, PciAddress address) {
        this.controller = controller;
        this.address = address;
    }

    /** The model's output level. */
    void setAsserted(boolean level) {
        asserted = level;
        kick(0);
    }

    /** Command register bit 10, Interrupt Disable. */
    void setMasked(boolean disabled) {
        masked = disabled;
        kick(0);
    }

    /**
     * @param inlineDelivery whether the handler may be called on a thread whose register write raised the line
     * @throws IllegalStateException if a handler is attached already
     */
    synchronized void attach(InterruptHandler newHandler, boolean inlineDelivery) {
        if (handler != null) {
            throw new IllegalStateException("an interrupt handler is attached to " + address + " already");
        }
        inline = inlineDelivery;
        handler = newHandler;
        kick(0);
    }

    boolean inline() {
        return inline;
    }

    /** Detaches the handler and waits for a call in progress to end (unless called from that very call). */
    void detach() {
        synchronized (this) {
            handler = null;
        }
        calling.lock();
        calling.unlock();
    }

    boolean isAsserted() {
        return asserted;
    }

    private boolean pending() {
        return asserted && !masked && handler != null;
    }

    private void kick(long delayMillis) {
        if (pending() && scheduled.compareAndSet(false, true)) {
            if (delayMillis == 0) {
                controller.raise(this);
            } else {
                controller.raiseLater(this, delayMillis);
            }
        }
    }

    /** Called on the interrupt thread, or on a thread whose register write raised the line. */
    void deliver() {
        scheduled.set(false);
        if (calling.isHeldByCurrentThread()) {
            missed = true; // a handler's own write raised its line: delivered again when that call ends
            return;
        }
        if (!calling.tryLock()) {
            missed = true;
            if (!calling.tryLock()) {
                return; // the call in progress finds the mark after it lets go
            }
        }
        call();
    }

    /**
     * Calls the handler, holding {@link #calling}, and releases it; then honours a delivery that found the call in
     * progress ({@link #missed}). Every call ends through that check, also one that found nothing to do: a line
     * already acknowledged when the call began may be asserted again while it holds the lock, and a delivery for
     * that assertion has left its mark and gone (an early return here once lost it, and with it every later
     * interrupt of the line: the model only signals changes of the level).
     */
    private void call() {
        missed = false;
        try {
            InterruptHandler h = handler;
            if (h != null && asserted && !masked) {
                h.interrupt();
            }
        } catch (Throwable e) {
            LOG.error("interrupt handler of {} threw; the interrupt thread goes on", address, e);
        } finally {
            calling.unlock();
        }
        if (missed) {
            missed = false;
            kick(0);
        }
        if (!pending()) {
            repeats = 0;
            return;
        }
        if (++repeats == STORM_WARNING) {
            LOG.warn("{}: INTx# stayed asserted through {} handler calls; does the driver acknowledge the cause?",
                    address, STORM_WARNING);
        }
        kick(REPEAT_MILLIS);
    }
}
