package org.devrt.ahci.internal;

import static org.devrt.ahci.internal.Ahci.PxCI;
import static org.devrt.ahci.internal.Ahci.PxCMD;
import static org.devrt.ahci.internal.Ahci.PxCMD_CCS_MASK;
import static org.devrt.ahci.internal.Ahci.PxCMD_CCS_SHIFT;
import static org.devrt.ahci.internal.Ahci.PxCMD_CR;
import static org.devrt.ahci.internal.Ahci.PxCMD_FR;
import static org.devrt.ahci.internal.Ahci.PxCMD_FRE;
import static org.devrt.ahci.internal.Ahci.PxCMD_ST;
import static org.devrt.ahci.internal.Ahci.PxIE;
import static org.devrt.ahci.internal.Ahci.PxIS;
import static org.devrt.ahci.internal.Ahci.PxIS_ERRORS;
import static org.devrt.ahci.internal.Ahci.PxSSTS;
import static org.devrt.ahci.internal.Ahci.PxTFD;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>Many commands are in flight at once, one per slot (READ/WRITE DMA EXT are not queued commands: the HBA
 * runs the slots set in PxCI one after the other). {@link #issue} sets a slot's PxCI bit; the interrupt handler
 * compares PxCI with the slots issued to learn which finished. Every wait is bounded: a command that does not
 * finish in time fails with a dump of the port's registers and the port is recovered ({@link PortRecovery}).
 *
 * <p>Threads: request threads acquire, issue, await and release slots; the interrupt thread calls
 * {@link #interrupt}; all port state below is guarded by {@link #lock}, which is never held across a wait for
 * the device. Recovery runs on a request thread, never on the interrupt thread.
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
    final long timeoutNanos;
    private final CommandSlot[] slots;
    private final SlotAllocator allocator;
    final ReentrantLock lock;
    private final Condition slotFreed;
    private final PortRecovery recovery;

    // Guarded by lock.
    PortState state = PortState.RUNNING;
    /** Slots the HBA owns: their PxCI bit was written (or is rewritten when the engine restarts). */
    int issued;
    /** Why the port left RUNNING. */
    String problem = "";
    /** After a time-out, the slot whose wait expired; -1 otherwise. */
    int timedOutSlot = -1;

    /**
     * @param lock the port's lock
     * @param slots the command slots built over this port's DMA memory, their conditions made from {@code lock}
     */
    AhciPort(int number, String name, Registers regs, Registers hba, Duration timeout, ReentrantLock lock,
            CommandSlot[] slots) {
        this.number = number;
        this.name = name;
        this.regs = regs;
        this.timeoutNanos = timeout.toNanos();
        this.lock = lock;
        this.slotFreed = lock.newCondition();
        this.slots = slots;
        this.allocator = new SlotAllocator(slots.length);
        this.recovery = new PortRecovery(this, hba);
    }

    CommandSlot slot(int index) {
        return slots[index];
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

    /** Hands the built slot to the HBA: the PxCI doorbell (§3.3.14), or on the next restart if the port is in error. */
    void issue(CommandSlot slot) throws IOException {
        lock.lock();
        try {
            usableLocked();
            slot.state = State.ISSUED;
            slot.deadline = System.nanoTime() + timeoutNanos;
            slot.attempts = state == PortState.RUNNING ? 1 : 0;
            issued |= slot.bit;
            if (state == PortState.RUNNING) {
                regs.set(PxCI, slot.bit);
            }
        } catch (HandleRevokedException e) {
            goneLocked("the device was removed (" + e.getMessage() + ")");
            usableLocked();
        } finally {
            lock.unlock();
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
     * slots whose PxCI bit the HBA cleared. An error cause fails the slot the HBA was running (PxCMD.CCS) and
     * leaves the port in ERROR for a request thread to recover.
     */
    void interrupt() {
        lock.lock();
        try {
            int status = regs.get(PxIS);
            regs.set(PxIS, status);
            if (state != PortState.RUNNING) {
                return; // the recovery or the detach settles the slots from PxCI itself
            }
            int ci = regs.get(PxCI);
            completeLocked(issued & ~ci);
            if ((status & PxIS_ERRORS) != 0) {
                commandErrorLocked(status, ci);
            }
        } catch (HandleRevokedException e) {
            goneLocked("the device was removed (" + e.getMessage() + ")");
        } finally {
            lock.unlock();
        }
    }

    /** §6.2.2.1: the failing command is the one in PxCMD.CCS, still set in PxCI. */
    private void commandErrorLocked(int status, int ci) {
        int tfd = regs.get(PxTFD);
        int ccs = (regs.get(PxCMD) >>> PxCMD_CCS_SHIFT) & PxCMD_CCS_MASK;
        int pending = issued & ci;
        int culprit = (pending & (1 << ccs)) != 0 ? ccs : pending != 0 ? Integer.numberOfTrailingZeros(pending) : -1;
        String what = TaskFile.causes(status) + ", " + TaskFile.describe(tfd);
        String dump = regs.dump();
        state = PortState.ERROR;
        problem = what;
        if (culprit < 0) {
            LOG.warn("{}: {} with no command outstanding; port registers:\n{}", name, what, dump);
            return;
        }
        CommandSlot slot = slots[culprit];
        LOG.warn("{}: {} failed: {}; port registers:\n{}", name, slot.describe(), what, dump);
        failLocked(slot, new IOException(name + ": " + slot.describe() + " failed: " + what
                + "; port registers:\n" + dump));
    }

    /** Slots in {@code mask} completed: the HBA cleared their PxCI bit while the engine ran. */
    void completeLocked(int mask) {
        for (int bits = mask & issued; bits != 0; bits &= bits - 1) {
            CommandSlot slot = slots[Integer.numberOfTrailingZeros(bits)];
            issued &= ~slot.bit;
            slot.state = State.DONE;
            slot.done.signal();
        }
    }

    void failLocked(CommandSlot slot, IOException error) {
        issued &= ~slot.bit;
        slot.state = State.FAILED;
        slot.error = error;
        slot.done.signal();
    }

    /** Wakes every waiter: the port changed state. */
    void signalAllLocked() {
        for (CommandSlot slot : slots) {
            slot.done.signal();
        }
        slotFreed.signalAll();
    }

    private void usableLocked() throws IOException {
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

    /** Detach, step one: fails what is in flight at once, so no caller waits for the port to stop. */
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
     */
    void awaitSlotsReleased(Duration timeout) {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (allocator.freeCount() < slots.length && left > 0) {
                left = slotFreed.awaitNanos(left);
            }
            if (allocator.freeCount() < slots.length) {
                LOG.warn("{}: slots 0x{} still held by request threads after {} ms", name,
                        Integer.toHexString(allocator.taken()), timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        try {
            regs.set(PxIE, 0);
            stopEngines(regs);
        } catch (DeviceTimeoutException e) {
            LOG.warn("{} did not stop: {}", name, e.getMessage());
        } catch (HandleRevokedException e) {
            LOG.debug("{}: device gone while stopping: {}", name, e.getMessage());
        }
    }

    /**
     * §10.1.2 step 3, a port to idle: clear PxCMD.ST and wait for PxCMD.CR to clear, then clear PxCMD.FRE and wait
     * for PxCMD.FR to clear, each within 500 ms.
     */
    static void stopEngines(Registers port) throws DeviceTimeoutException {
        if ((port.get(PxCMD) & (PxCMD_ST | PxCMD_CR)) != 0) {
            port.clearFlags(PxCMD, PxCMD_ST);
            port.waitClear(PxCMD, PxCMD_CR, STOP_TIMEOUT);
        }
        if ((port.get(PxCMD) & (PxCMD_FRE | PxCMD_FR)) != 0) {
            port.clearFlags(PxCMD, PxCMD_FRE);
            port.waitClear(PxCMD, PxCMD_FR, STOP_TIMEOUT);
        }
    }
}
