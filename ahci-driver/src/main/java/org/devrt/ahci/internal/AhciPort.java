package org.devrt.ahci.internal;

import static org.devrt.ahci.internal.Ahci.IS;
import static org.devrt.ahci.internal.Ahci.PxCI;
import static org.devrt.ahci.internal.Ahci.PxIE;
import static org.devrt.ahci.internal.Ahci.PxIS;
import static org.devrt.ahci.internal.Ahci.PxIS_ERRORS;
import static org.devrt.ahci.internal.Ahci.PxSACT;
import static org.devrt.ahci.internal.Ahci.PxSSTS;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.devrt.ahci.internal.CommandSlot.State;
import org.devrt.device.DeviceGoneException;
import org.devrt.hw.DeviceTimeoutException;
import org.devrt.hw.HandleRevokedException;
import org.devrt.hw.Registers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port with a disk: its command slots, the doorbell, completion by interrupt, and error recovery.
 *
 * <p>Many commands are in flight at once, one per slot. A non-queued command (IDENTIFY, FLUSH CACHE EXT, READ/WRITE
 * DMA EXT) runs on the device only after the one before it completed (AHCI 1.3.1 §5.3.2: the HBA sends the next
 * command FIS once PxTFD.STS.BSY is clear), so slots only save the round trip between commands. With NCQ
 * ({@link #enableQueuing}: CAP.SNCQ and IDENTIFY word 76 bit 8) reads and writes are READ/WRITE FPDMA QUEUED and
 * run together on the device, up to its queue depth. {@link #issue} sets the slot's PxSACT bit for a queued
 * command (§3.3.13), then its PxCI bit (§3.3.14); the interrupt handler learns what finished from PxCI for
 * non-queued commands and from PxSACT (Set Device Bits FIS, PxIS.SDBS) for queued ones. Queued and non-queued
 * commands are never in flight together (as libata's qc_defer): a non-queued command waits until the queue has
 * drained and holds new queued ones back until it is done. Every wait is bounded: a command that does not finish in
 * time fails with a dump of the port's registers and the port is recovered ({@link PortRecovery}).
 *
 * <p>Threads: request threads acquire, issue, await and release slots; the interrupt thread calls
 * {@link #interrupt}; all port state below is guarded by {@link #lock}, which is never held across a wait for
 * the device, nor while the doorbell is rung. A request thread that finds its command not done yet first looks
 * for completions itself ({@link #pollLocked}) before it sleeps. Recovery runs on a request thread, never on the
 * interrupt thread.
 */
final class AhciPort {
    private static final Logger LOG = LoggerFactory.getLogger(AhciPort.class);
    /** §10.1.2 step 3: PxCMD.CR and PxCMD.FR clear within 500 ms of ST and FRE being cleared. */
    static final Duration STOP_TIMEOUT = Duration.ofMillis(500);
    /** How often a waiter checks that the device is still there (removal is noticed within this). */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Times a command is issued before it fails, when recoveries keep putting it back. */
    static final int MAX_ATTEMPTS = 3;

    enum PortState {
        /** PxCMD.ST is set and commands run. */
        RUNNING,
        /** A command failed or timed out; the next thread to look recovers the port. */
        ERROR,
        /** A thread is recovering the port; issued commands wait for it. */
        RECOVERING,
        /** Recovery failed: the port takes no more commands (the HBA may still own its slots). */
        BROKEN,
        /** Detached or removed: every call fails with DeviceGoneException. */
        GONE
    }

    final int number;
    final String name;
    final Registers regs;
    /** The command time-out; the driver changes it when its configuration changes ({@link #commandTimeout}). */
    volatile long timeoutNanos;
    /**
     * How long a recovery waits for the disk to clear BSY after its restart: {@link PortRecovery#READY_TIMEOUT} while
     * the port is probed (the attach must end within the device manager's time-out, and a disk busy longer is the
     * port-check thread's), {@link PortRecovery#RESET_READY_TIMEOUT} once its disk has answered IDENTIFY.
     */
    volatile long readyTimeoutNanos = PortRecovery.READY_TIMEOUT.toNanos();
    private final CommandSlot[] slots;
    private final SlotAllocator allocator;
    final ReentrantLock lock;
    /**
     * Held shared while the doorbell is rung, exclusively to close it ({@link #closeDoorbellLocked}); taken after
     * {@link #lock}, never the other way round.
     */
    private final ReentrantReadWriteLock doorbell = new ReentrantReadWriteLock();
    /**
     * Why the port is being detached, or null (written under lock): nothing is issued from then on. Volatile so
     * that a recovery waiting for the device without the lock sees a detach begin ({@link #closing()}).
     */
    private volatile String closing;
    /**
     * PxIS was acknowledged while a slot was issued but not rung yet ({@link #unrung}): the ring that ends then polls
     * once ({@link #ring}), since the completion that interrupt announced was not judged.
     */
    private volatile boolean servicedWhileUnrung;
    /** The PxIS causes the interrupt handler acknowledged while the port was not running (a recovery's own command). */
    volatile int causesWhileStopped;
    /** Moved when the engine is stopped: a ring of an older epoch is dropped (guarded by lock and doorbell). */
    private volatile int doorbellEpoch;
    /**
     * Issued slots whose doorbell is not rung yet: their PxCI and PxSACT bits are clear although they have not
     * completed. Read before PxCI and PxSACT ({@link #rungLocked}), cleared after the ring.
     */
    private final AtomicInteger unrung = new AtomicInteger();
    private final Registers hba;
    private final Condition slotFreed;
    /** Signalled when the queued or the non-queued commands in flight have all completed. */
    private final Condition drained;
    private final PortRecovery recovery;
    /** CAP.SNCQ: the HBA supports NCQ. */
    private final boolean hbaQueuing;
    /** NCQ queue depth in use, 0 without NCQ; set once, before the disk is published. */
    private volatile int queueDepth;
    /** The slot no request uses, for READ LOG EXT during a recovery; -1 if there is none. Set with the depth. */
    volatile int logSlot = -1;

    // Guarded by lock.
    PortState state = PortState.RUNNING;
    /** Slots the HBA owns: their PxCI bit was written (or is rewritten when the engine restarts). */
    int issued;
    /** The issued slots that hold a queued command: their PxSACT bit was set. */
    int queuedIssued;
    /** Threads waiting to issue a non-queued command until the queued ones drain. */
    private int nonQueuedWaiting;
    /** Why the port left RUNNING. */
    String problem = "";
    /** After a time-out, the slot whose wait expired; -1 otherwise. */
    int timedOutSlot = -1;

    /**
     * @param lock the port's lock
     * @param slots the command slots built over this port's DMA memory, their conditions made from {@code lock}
     */
    AhciPort(int number, String name, Registers regs, Registers hba, boolean hbaQueuing, Duration timeout,
            ReentrantLock lock, CommandSlot[] slots) {
        this.number = number;
        this.name = name;
        this.regs = regs;
        this.hba = hba;
        this.timeoutNanos = timeout.toNanos();
        this.lock = lock;
        this.slotFreed = lock.newCondition();
        this.drained = lock.newCondition();
        this.hbaQueuing = hbaQueuing;
        this.slots = slots;
        this.allocator = new SlotAllocator(slots.length);
        this.recovery = new PortRecovery(this, hba);
    }

    /** Commands issued (and slots waited for) from now on wait this long; those in flight keep their deadline. */
    void commandTimeout(Duration timeout) {
        timeoutNanos = timeout.toNanos();
    }

    CommandSlot slot(int index) {
        return slots[index];
    }

    /**
     * Uses NCQ with the device's queue depth (IDENTIFY word 75 + 1) when the HBA supports it (CAP.SNCQ) and the
     * device does (a depth above 0); the slot is the tag, so only slots below the depth are used from now on. If the
     * device can read logs ({@code logs}: READ LOG EXT), the last slot is kept back for the recovery's READ LOG EXT
     * after an NCQ error, as libata keeps a tag for its internal commands: the depth is then at most one less than
     * the slots. Called once, before any request.
     */
    void enableQueuing(int deviceDepth, boolean logs) {
        lock.lock();
        try {
            int usable = logs && slots.length > 1 ? slots.length - 1 : slots.length;
            int depth = hbaQueuing ? Math.min(deviceDepth, usable) : 0;
            if (depth > 0) {
                allocator.limit(depth);
                logSlot = logs && depth < slots.length ? slots.length - 1 : -1;
            }
            queueDepth = depth;
            LOG.info("{}: {}", name, depth > 0 ? "NCQ, queue depth " + depth + (logSlot >= 0 ? ", slot " + logSlot
                    + " kept for READ LOG EXT after an NCQ error" : ", no READ LOG EXT (IDENTIFY word 84 bit 5 clear)")
                    : "no NCQ (CAP.SNCQ " + hbaQueuing + ", device queue depth " + deviceDepth + ")");
        } finally {
            lock.unlock();
        }
    }

    /** Whether reads and writes are READ/WRITE FPDMA QUEUED. */
    boolean queuing() {
        return queueDepth > 0;
    }

    /**
     * Takes a free slot.
     *
     * @param wait whether to wait (bounded by the command time-out) for one; a caller that holds issued slots
     *        must not wait, or two such callers could hold every slot and wait for each other
     * @return the slot, OWNED by the caller; null when none is free and {@code wait} is false
     */
    CommandSlot acquire(boolean wait) throws IOException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            while (true) {
                usableLocked();
                int index = allocator.acquire();
                if (index >= 0) {
                    slots[index].state = State.OWNED;
                    return slots[index];
                }
                long left = deadline - System.nanoTime();
                if (!wait) {
                    return null;
                }
                if (left <= 0) {
                    throw new IOException(name + ": no command slot came free within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (" + slots.length + " slots)");
                }
                if (slotFreed.awaitNanos(Math.min(left, TICK_NANOS)) <= 0) {
                    checkPresentLocked();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(name + ": interrupted waiting for a command slot");
        } finally {
            lock.unlock();
        }
    }

    /** Gives the slot back to the allocator; the caller is done with its buffer. */
    void release(CommandSlot slot) {
        lock.lock();
        try {
            if (slot.state == State.ISSUED) {
                throw new IllegalStateException(name + ": " + slot.describe() + " released while the HBA owns it");
            }
            slot.state = State.FREE;
            slot.error = null;
            allocator.release(slot.index);
            slotFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands the built slot to the HBA: PxSACT for a queued command (§3.3.13), then the PxCI doorbell (§3.3.14); or
     * on the next restart if the port is in error. With NCQ, first waits (bounded) until the command may be in
     * flight with the others ({@link #awaitTurnLocked}).
     *
     * <p>The slot is issued under the port lock, the doorbell is rung after it is released: the HBA may start the
     * command during the write (an emulated one runs it on this thread), and other request threads and the interrupt
     * handler must not wait for that. A recovery that restarts the engine meanwhile issues the slot again itself:
     * it moves the doorbell epoch under the doorbell's write lock, and a ring of an older epoch is dropped.
     */
    void issue(CommandSlot slot) throws IOException {
        issue(slot, timeoutNanos);
    }

    /** {@link #issue(CommandSlot)} with a time-out of its own for this command (re-issues after a recovery too). */
    void issue(CommandSlot slot, long timeout) throws IOException {
        int epoch;
        lock.lock();
        try {
            boolean queued = slot.queued();
            if (queueDepth > 0) {
                awaitTurnLocked(queued);
            }
            usableLocked();
            slot.state = State.ISSUED;
            slot.timeoutNanos = timeout;
            slot.deadline = System.nanoTime() + timeout;
            slot.attempts = state == PortState.RUNNING ? 1 : 0;
            issued |= slot.bit;
            if (queued) {
                queuedIssued |= slot.bit;
            }
            if (state != PortState.RUNNING) {
                return; // the recovery under way issues it when it restarts the engine
            }
            epoch = doorbellEpoch;
            unrung.getAndUpdate(bits -> bits | slot.bit);
        } finally {
            lock.unlock();
        }
        ring(slot, epoch);
    }

    private void ring(CommandSlot slot, int epoch) {
        String gone = null;
        doorbell.readLock().lock();
        try {
            if (epoch == doorbellEpoch) {
                if (slot.queued()) {
                    regs.set(PxSACT, slot.bit);
                }
                regs.set(PxCI, slot.bit);
            }
        } catch (HandleRevokedException e) {
            gone = "the device was removed (" + e.getMessage() + ")";
        } finally {
            unrung.getAndUpdate(bits -> bits & ~slot.bit);
            doorbell.readLock().unlock();
        }
        if (gone == null && servicedWhileUnrung) {
            // the interrupt thread acknowledged PxIS while this slot was not yet judged by PxCI: its completion may
            // have been that interrupt, which no one would look at again (a thread that waits for its turn does not
            // poll), and the port stalled until the command's deadline and a needless COMRESET
            lock.lock();
            try {
                if (state == PortState.RUNNING) {
                    pollLocked(); // clears the flag unless another ring is still in flight, which then polls too
                }
            } finally {
                lock.unlock();
            }
        }
        if (gone != null) {
            lock.lock();
            try {
                goneLocked(gone);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Called with the port lock before the engine is stopped: waits for a ring in progress to end and makes every
     * ring not yet made a no-op; the caller then issues what is outstanding itself.
     */
    void closeDoorbellLocked() {
        doorbell.writeLock().lock();
        try {
            doorbellEpoch++;
        } finally {
            doorbell.writeLock().unlock();
        }
    }

    /**
     * libata's rule (ata_std_qc_defer): queued and non-queued commands are never in flight together. A non-queued
     * command waits until no queued one is issued and, while it waits or runs, new queued ones wait for it. Bounded
     * by the command time-out; a command in flight that overran its own meanwhile puts the port in ERROR, and the
     * recovery runs on this thread.
     */
    private void awaitTurnLocked(boolean queued) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean counted = false;
        try {
            while (true) {
                usableLocked();
                boolean turn = queued ? (issued & ~queuedIssued) == 0 && nonQueuedWaiting == 0 : queuedIssued == 0;
                if (turn) {
                    return;
                }
                if (!queued && !counted) {
                    counted = true;
                    nonQueuedWaiting++;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException(name + ": a " + (queued ? "queued" : "non-queued") + " command waited "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms for the "
                            + (queued ? "non-queued" : "queued") + " commands in flight to complete");
                }
                if (drained.awaitNanos(Math.min(left, TICK_NANOS)) <= 0) {
                    checkPresentLocked();
                    recovery.overdueLocked();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(name + ": interrupted waiting to issue a command");
        } finally {
            if (counted) {
                nonQueuedWaiting--;
                drained.signalAll();
            }
        }
    }

    /**
     * Waits until the HBA is done with the slot: returns when its command completed, throws its error otherwise.
     * May run the port's recovery on this thread.
     */
    void await(CommandSlot slot) throws IOException {
        // An interrupt does not end the wait: the HBA may own the slot's buffer until the command settles, and
        // every path below ends within the time-out (and a recovery) anyway.
        boolean interrupted = false;
        boolean polled = false;
        lock.lock();
        try {
            while (true) {
                if (state == PortState.ERROR) {
                    recovery.recoverLocked();
                    continue;
                }
                switch (slot.state) {
                    case DONE:
                        return;
                    case FAILED:
                        if (state != PortState.RECOVERING) {
                            throw slot.error;
                        }
                        break; // the HBA may still own the slot until the recovery has stopped the engine
                    case ISSUED:
                        if (state == PortState.RUNNING && !polled) {
                            polled = true;
                            pollLocked();
                            continue;
                        }
                        if (state == PortState.RUNNING && System.nanoTime() - slot.deadline >= 0) {
                            state = PortState.ERROR;
                            timedOutSlot = slot.index;
                            problem = slot.describe() + " timed out";
                            continue;
                        }
                        break;
                    default:
                        throw new IllegalStateException(name + ": awaiting " + slot.describe() + " in state "
                                + slot.state);
                }
                long wait = TICK_NANOS;
                if (state == PortState.RUNNING) {
                    wait = Math.max(1, Math.min(wait, slot.deadline - System.nanoTime()));
                }
                try {
                    if (slot.done.awaitNanos(wait) <= 0) {
                        checkPresentLocked();
                    }
                    polled = false;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The port's share of an interrupt (interrupt thread): acknowledges PxIS (write 1 to clear) and settles the
     * slots that completed: a non-queued one when the HBA cleared its PxCI bit, a queued one when a Set Device Bits
     * FIS cleared its PxSACT bit. An error cause fails the non-queued slot the HBA was running (PxCMD.CCS); with
     * queued commands outstanding it is an NCQ error, which the recovery handles. Either way the port is left in
     * ERROR for a request thread to recover.
     *
     * @return PxIS as it was read (and acknowledged), 0 if the device is gone
     */
    int interrupt() {
        lock.lock();
        try {
            return serviceLocked();
        } catch (HandleRevokedException e) {
            goneLocked("the device was removed (" + e.getMessage() + ")");
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** @return PxIS as it was read (and acknowledged) */
    private int serviceLocked() {
        int status = regs.get(PxIS);
        if (status != 0) {
            regs.set(PxIS, status);
            servicedWhileUnrung = true; // before rungLocked reads unrung: a ring ending meanwhile sees it
        }
        if (state != PortState.RUNNING) {
            causesWhileStopped |= status; // a recovery's READ LOG EXT learns of its error here
            return status; // the recovery or the detach settles the slots from PxCI and PxSACT itself
        }
        int rung = rungLocked();
        if (rung == issued) {
            servicedWhileUnrung = false; // no ring was in flight (new ones start under this lock)
        }
        int ci = regs.get(PxCI);
        int sact = queuedIssued != 0 ? regs.get(PxSACT) : 0;
        completeLocked(rung & ~ci & ~(queuedIssued & sact));
        if ((status & PxIS_ERRORS) != 0) {
            recovery.errorLocked(status, ci, sact);
        }
        return status;
    }

    /**
     * Polled completion, by a request thread before it sleeps (as blk-mq's polled queues do): what the interrupt
     * handler would do for this port, then the port's bit in IS is acknowledged too
     * (PxIS first: IS.IPS clears only once PxIS has no cause, §3.1.3),
     * so that INTx# drops and the interrupt thread is not called for causes already handled. A completion the HBA
     * posts later sets IS again and interrupts as usual.
     */
    private void pollLocked() {
        try {
            if (serviceLocked() != 0) {
                hba.set(IS, 1 << number);
            }
        } catch (HandleRevokedException e) {
            goneLocked("the device was removed (" + e.getMessage() + ")");
        }
    }

    /**
     * The issued slots whose doorbell was rung: only they may be judged by PxCI and PxSACT, which must be read after
     * this (a ring that ends later set its bits before it cleared its {@link #unrung} bit).
     */
    int rungLocked() {
        return issued & ~unrung.get();
    }

    /** Slots in {@code mask} completed: the HBA cleared their PxCI (or PxSACT) bit while the engine ran. */
    void completeLocked(int mask) {
        for (int bits = mask & issued; bits != 0; bits &= bits - 1) {
            CommandSlot slot = slots[Integer.numberOfTrailingZeros(bits)];
            settleLocked(slot);
            slot.state = State.DONE;
            slot.done.signal();
        }
    }

    void failLocked(CommandSlot slot, IOException error) {
        settleLocked(slot);
        slot.state = State.FAILED;
        slot.error = error;
        slot.done.signal();
    }

    private void settleLocked(CommandSlot slot) {
        issued &= ~slot.bit;
        queuedIssued &= ~slot.bit;
        if (queuedIssued == 0 || (issued & ~queuedIssued) == 0) {
            drained.signalAll();
        }
    }

    /** Wakes every waiter: the port changed state. */
    void signalAllLocked() {
        for (CommandSlot slot : slots) {
            slot.done.signal();
        }
        slotFreed.signalAll();
        drained.signalAll();
    }

    private void usableLocked() throws IOException {
        if (closing != null) {
            throw new DeviceGoneException(name + ": " + closing);
        }
        if (state == PortState.ERROR) {
            recovery.recoverLocked();
        }
        if (state == PortState.GONE) {
            throw new DeviceGoneException(name + ": " + problem);
        }
        if (state == PortState.BROKEN) {
            throw new IOException(name + " is out of service: " + problem
                    + "; unbind and bind the device to reset the HBA");
        }
    }

    /** On a quiet tick: a revoked handle, or a register reading all ones, means the device went away. */
    private void checkPresentLocked() {
        if (state == PortState.GONE) {
            return;
        }
        try {
            if (regs.get(PxSSTS) == -1) {
                goneLocked("the device was removed (registers read all ones)");
            }
        } catch (HandleRevokedException e) {
            goneLocked("the device was removed (" + e.getMessage() + ")");
        }
    }

    /** Fails every issued command with DeviceGoneException and refuses new ones. Idempotent. */
    void goneLocked(String why) {
        if (state == PortState.GONE) {
            return;
        }
        state = PortState.GONE;
        problem = why;
        for (int bits = issued; bits != 0; bits &= bits - 1) {
            CommandSlot slot = slots[Integer.numberOfTrailingZeros(bits)];
            failLocked(slot, new DeviceGoneException(name + ": " + slot.describe() + " failed: " + why));
        }
        signalAllLocked();
        LOG.info("{}: {}", name, why);
    }

    /**
     * Detach, step one, before the engine is stopped: no new command is issued (each fails naming {@code why}) and
     * no ring lands any more, so PxCI is not written once ST is clear (§3.3.14).
     */
    void closing(String why) {
        lock.lock();
        try {
            closing = why;
            closeDoorbellLocked();
            if (state == PortState.RUNNING) {
                // what finished before the stop completes now; after it PxCI reads 0 for every slot (§3.3.14), and a
                // poller took that for the completion of a command that never ran ("moved 0 bytes"): from here the
                // detach settles the slots, as a recovery does
                int rung = rungLocked();
                int ci = regs.get(PxCI);
                int sact = queuedIssued != 0 ? regs.get(PxSACT) : 0;
                completeLocked(rung & ~ci & ~(queuedIssued & sact));
                state = PortState.RECOVERING;
            }
        } catch (HandleRevokedException e) {
            goneLocked("the device was removed (" + e.getMessage() + ")");
        } finally {
            lock.unlock();
        }
    }

    /** COMRESETs sent by recoveries of this port. */
    int comresets() {
        return recovery.comresets;
    }

    /** Whether a detach has begun ({@link #closing}); under the lock. */
    boolean closingLocked() {
        return closing != null;
    }

    /** Whether a detach has begun; without the lock, for a recovery waiting on the device. */
    boolean closing() {
        return closing != null;
    }

    /** Detach, once the engine has stopped: fails what is in flight at once, so no caller waits any longer. */
    void gone(String why) {
        lock.lock();
        try {
            goneLocked(why);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Detach, after {@link #gone}: waits (bounded) until every request thread has let go of its slot, so that no
     * thread still copies into a slot buffer when the DMA memory is freed.
     *
     * @return whether every slot is free
     */
    boolean awaitSlotsReleased(Duration timeout) {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (allocator.freeCount() < slots.length && left > 0) {
                left = slotFreed.awaitNanos(left);
            }
            if (allocator.freeCount() < slots.length) {
                LOG.warn("{}: slots 0x{} still held by request threads after {} ms", name,
                        Integer.toHexString(allocator.taken()), timeout.toMillis());
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Detach, step two: waits for a recovery under way to finish (it would start the engine again), then stops the
     * engines (bounded, quietly: the device may be gone) and masks the port's interrupts.
     */
    void stop() {
        lock.lock();
        try {
            long left = PortRecovery.LONGEST.toNanos();
            while (recovery.running && left > 0) {
                left = slotFreed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        lock.lock();
        try {
            closeDoorbellLocked();
        } finally {
            lock.unlock();
        }
        try {
            regs.set(PxIE, 0);
            AhciController.stopEngines(regs);
        } catch (DeviceTimeoutException e) {
            LOG.warn("{} did not stop: {}", name, e.getMessage());
        } catch (HandleRevokedException e) {
            LOG.debug("{}: device gone while stopping: {}", name, e.getMessage());
        }
    }
}
