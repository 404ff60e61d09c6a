package org.devrt.ahci.internal;

import static org.devrt.ahci.internal.Ahci.IS;
import static org.devrt.ahci.internal.Ahci.PxCI;
import static org.devrt.ahci.internal.Ahci.PxCMD;
import static org.devrt.ahci.internal.Ahci.PxCMD_CCS_MASK;
import static org.devrt.ahci.internal.Ahci.PxCMD_CCS_SHIFT;
import static org.devrt.ahci.internal.Ahci.PxCMD_CR;
import static org.devrt.ahci.internal.Ahci.PxCMD_ST;
import static org.devrt.ahci.internal.Ahci.PxIS;
import static org.devrt.ahci.internal.Ahci.PxIS_HBDS;
import static org.devrt.ahci.internal.Ahci.PxIS_IFS;
import static org.devrt.ahci.internal.Ahci.PxIS_INFS;
import static org.devrt.ahci.internal.Ahci.PxIS_TFES;
import static org.devrt.ahci.internal.Ahci.PxSACT;
import static org.devrt.ahci.internal.Ahci.PxSCTL;
import static org.devrt.ahci.internal.Ahci.PxSCTL_DET_COMRESET;
import static org.devrt.ahci.internal.Ahci.PxSCTL_DET_MASK;
import static org.devrt.ahci.internal.Ahci.PxSERR;
import static org.devrt.ahci.internal.Ahci.PxSSTS;
import static org.devrt.ahci.internal.Ahci.PxSSTS_DET_ESTABLISHED;
import static org.devrt.ahci.internal.Ahci.PxSSTS_DET_MASK;
import static org.devrt.ahci.internal.Ahci.PxTFD;
import static org.devrt.ahci.internal.Ahci.PxTFD_STS_BSY;
import static org.devrt.ahci.internal.Ahci.PxTFD_STS_DRQ;
import static org.devrt.ahci.internal.Ahci.PxTFD_STS_ERR;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.devrt.ahci.internal.AhciPort.PortState;
import org.devrt.hw.DeviceTimeoutException;
import org.devrt.hw.HandleRevokedException;
import org.devrt.hw.Registers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the port does when a command fails or times out. The interrupt handler names the error
 * ({@link #errorLocked}); a request thread then brings the port back after AHCI 1.3.1 §6.2.2 ({@link #recoverLocked}):
 * settle what the HBA finished, fail the culprit, stop the engine (the HBA clears PxCI and PxSACT), clear PxSERR
 * and PxIS, COMRESET the device if it is still busy, a command hung or the link failed (§10.4.2), restart the engine
 * and issue the innocent commands again. After an NCQ error (§6.2.2.2) PxCMD.CCS names no culprit: the disk aborted
 * its whole queue and waits, in its NCQ error state, for READ LOG EXT of its NCQ Command Error log (10h), which the
 * recovery reads in the slot the port keeps for it ({@link AhciPort#logSlot}) with the engine restarted. The log
 * names the failed tag with its Status, Error and LBA: that command fails, the others go again as they were,
 * queued (libata's ata_eh_analyze_ncq_error). When the log cannot be read (no READ LOG EXT, no slot kept, the read
 * fails or names no outstanding tag) the disk is COMRESET, which also ends its error state, and every outstanding
 * queued command is retried as READ/WRITE DMA EXT one at a time, so that one that fails again is named by PxCMD.CCS
 * and fails alone. A command put back {@link AhciPort#MAX_ATTEMPTS} times fails. If the port cannot be brought back
 * it is BROKEN; if the device went away, GONE.
 */
final class PortRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(PortRecovery.class);
    /** §10.4.2: PxSCTL.DET stays 1 for at least 1 ms so that COMRESET is sent. */
    static final long COMRESET_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Phy communication re-established after COMRESET (PxSSTS.DET = 3). */
    static final Duration LINK_TIMEOUT = Duration.ofSeconds(1);
    /**
     * How long the attach waits for a device's first D2H Register FIS to clear BSY before it hands the port to the
     * port-check thread ({@link AhciController#SPIN_UP_TIMEOUT}).
     */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long a recovery waits for the device to clear BSY and DRQ after its restart, once the disk is in use: a
     * COMRESET may make a disk spin up again or run its firmware's start-up, which takes seconds (libata's first
     * reset waits 10 s). While the port is probed at attach the wait is {@link #READY_TIMEOUT}
     * ({@link AhciPort#readyTimeoutNanos}): 10 s there made one bad disk overrun the attach time-out.
     */
    static final Duration RESET_READY_TIMEOUT = Duration.ofSeconds(10);
    /** How often that wait polls PxTFD, and looks whether a detach has begun (which does not wait for a spin-up). */
    private static final long READY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** READ LOG EXT of the NCQ error log: one 512-byte PIO read, microseconds on a disk that answers. */
    static final Duration LOG_TIMEOUT = Duration.ofSeconds(1);
    /**
     * The longest a recovery can take: the sum of its bounded waits, with some slack. A detach does not wait that
     * long: a recovery waiting for the device gives up once the port is closing.
     */
    static final Duration LONGEST = Duration.ofSeconds(16);

    private final AhciPort port;
    private final Registers regs;
    private final Registers hba;
    /** Whether a thread is recovering the port now (guarded by the port lock). */
    boolean running;
    /** The error came with queued commands outstanding (guarded by the port lock). */
    private boolean queueError;
    /** The error was the link's, not the device's (guarded by the port lock): the command is retried. */
    private boolean linkError;

    /** COMRESETs the recoveries sent; written only by the thread recovering the port. */
    volatile int comresets;

    /** Interface (link) errors: fatal (IFS), non-fatal (INFS), a data CRC error on the host bus side (HBDS). */
    static final int LINK_ERRORS = PxIS_IFS | PxIS_INFS | PxIS_HBDS;

    PortRecovery(AhciPort port, Registers hba) {
        this.port = port;
        this.regs = port.regs;
        this.hba = hba;
    }

    /**
     * An error cause in PxIS (interrupt thread, port lock held): the port goes to ERROR. Without queued commands
     * the failing one is the one in PxCMD.CCS, still set in PxCI (§6.2.2.1), and fails now with a register dump.
     * With queued commands outstanding the device's queue was aborted (§6.2.2.2): the recovery retries them.
     */
    void errorLocked(int status, int ci, int sact) {
        String what = TaskFile.causes(status) + ", " + TaskFile.describe(regs.get(PxTFD));
        String dump = regs.dump();
        port.state = PortState.ERROR;
        port.problem = what;
        if ((status & LINK_ERRORS) != 0 && (status & PxIS_TFES) == 0) {
            // the link's error, not the device's (a CRC error on a marginal cable; INFS does not even stop the
            // HBA, §3.3.5): the commands are retried after a COMRESET, at most MAX_ATTEMPTS times each, as
            // libata retries an ATA bus error; failing it at once turned a bad cable into file-system errors.
            // The disk reported no error, so it has no NCQ error log to read.
            linkError = true;
            LOG.warn("{}: {}; retried after a port reset; port registers:\n{}", port.name, what, dump);
            return;
        }
        if (port.queuedIssued != 0) {
            queueError = true;
            port.problem = what + " with NCQ tags 0x" + Integer.toHexString(port.queuedIssued) + " outstanding";
            LOG.warn("{}: {} (PxSACT 0x{}); the disk aborted its queue; port registers:\n{}", port.name,
                    port.problem, Integer.toHexString(sact), dump);
            return;
        }
        int ccs = (regs.get(PxCMD) >>> PxCMD_CCS_SHIFT) & PxCMD_CCS_MASK;
        int pending = port.issued & ci;
        int culprit = (pending & (1 << ccs)) != 0 ? ccs : pending != 0 ? Integer.numberOfTrailingZeros(pending) : -1;
        if (culprit < 0) {
            LOG.warn("{}: {} with no command outstanding; port registers:\n{}", port.name, what, dump);
            return;
        }
        CommandSlot slot = port.slot(culprit);
        LOG.warn("{}: {} failed: {}; port registers:\n{}", port.name, slot.describe(), what, dump);
        port.failLocked(slot, new IOException(port.name + ": " + slot.describe() + " failed: " + what
                + "; port registers:\n" + dump));
    }

    /** An issued command past its deadline while the port runs: ERROR, so that the next thread recovers it. */
    void overdueLocked() {
        if (port.state != PortState.RUNNING) {
            return;
        }
        long now = System.nanoTime();
        for (int bits = port.issued; bits != 0; bits &= bits - 1) {
            CommandSlot slot = port.slot(Integer.numberOfTrailingZeros(bits));
            if (now - slot.deadline >= 0) {
                port.state = PortState.ERROR;
                port.timedOutSlot = slot.index;
                port.problem = slot.describe() + " timed out";
                return;
            }
        }
    }

    /**
     * Recovers the port, which is in ERROR. Called with the port lock held; releases it while waiting for the
     * device, and holds it again on return. Never throws: the outcome is the port's state.
     */
    void recoverLocked() {
        boolean timedOut = port.timedOutSlot >= 0;
        boolean readLog = queueError && !timedOut && !linkError && port.logSlot >= 0;
        boolean reset = timedOut || linkError || queueError && !readLog;
        int suspect = port.timedOutSlot;
        port.timedOutSlot = -1;
        queueError = false;
        linkError = false;
        port.state = PortState.RECOVERING;
        running = true;
        String why = port.problem;
        try {
            port.closeDoorbellLocked(); // no ring lands once the engine stops; reissueLocked rings what is issued
            settleLocked(timedOut, suspect);
            int outstanding = port.queuedIssued;
            NcqError culprit = null;
            port.lock.unlock();
            try {
                boolean wasReset = restart(reset);
                if (readLog && !wasReset && !port.closing()) {
                    culprit = readNcqErrorLog(outstanding);
                    if (culprit == null) {
                        restart(true); // the disk leaves its NCQ error state; the commands are retried one at a time
                    }
                }
            } finally {
                port.lock.lock();
            }
            if (port.state != PortState.RECOVERING || port.closingLocked()) {
                LOG.info("{}: recovery after {} ends: the port is being detached", port.name, why);
                return; // detached or removed meanwhile: the detach stops the engine and fails what is issued
            }
            port.state = PortState.RUNNING;
            if (culprit != null) {
                failCulpritLocked(culprit);
            }
            reissueLocked(why, culprit != null);
            LOG.warn("{} recovered after {}", port.name, why);
        } catch (DeviceTimeoutException e) {
            brokenLocked("recovery after " + why + " failed: " + e.getMessage());
        } catch (HandleRevokedException e) {
            port.goneLocked("the device was removed (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            brokenLocked("recovery after " + why + " failed: " + e);
        } finally {
            running = false;
            port.signalAllLocked();
        }
    }

    /**
     * Before touching the engine: the non-queued commands whose PxCI bit is clear and the queued ones whose PxSACT
     * bit is clear completed. After a time-out the culprit fails with a register dump: a queued command whose wait
     * expired (the device lost it; PxCMD.CCS means nothing for queued commands), else the non-queued command the
     * HBA is running (PxCMD.CCS), else the one whose wait expired.
     */
    private void settleLocked(boolean timedOut, int suspect) {
        int rung = port.rungLocked();
        String dump = regs.dump();
        int ci = regs.get(PxCI);
        int sact = regs.get(PxSACT);
        int ccs = (regs.get(PxCMD) >>> PxCMD_CCS_SHIFT) & PxCMD_CCS_MASK;
        port.completeLocked(rung & ~ci & ~(port.queuedIssued & sact));
        if (!timedOut) {
            return;
        }
        int culprit = (port.queuedIssued & (1 << suspect)) != 0 ? suspect
                : (port.issued & (1 << ccs)) != 0 ? ccs : (port.issued & (1 << suspect)) != 0 ? suspect : -1;
        if (culprit < 0) {
            return;
        }
        CommandSlot slot = port.slot(culprit);
        String message = String.format("%s: %s did not complete within %d ms; port registers:", port.name,
                slot.describe(), TimeUnit.NANOSECONDS.toMillis(slot.timeoutNanos));
        LOG.warn("{}\n{}", message, dump);
        port.failLocked(slot, new DeviceTimeoutException(message, dump));
    }

    /**
     * §6.2.2 with the lock released: stop, clear errors, reset the device if needed, start.
     *
     * @return whether the device was reset (COMRESET)
     */
    private boolean restart(boolean reset) throws DeviceTimeoutException {
        // Clear PxCMD.ST and wait for PxCMD.CR to clear (§10.1.2 step 3: 500 ms); the HBA clears PxCI and PxSACT.
        regs.clearFlags(PxCMD, PxCMD_ST);
        boolean idle = true;
        try {
            regs.waitClear(PxCMD, PxCMD_CR, AhciPort.STOP_TIMEOUT);
        } catch (DeviceTimeoutException e) {
            idle = false;
            LOG.warn("{}: command engine did not stop (PxCMD.CR still set); trying COMRESET", port.name);
        }
        // Clear PxSERR, then PxIS, then the port's bit in IS (write 1 to clear, in that order).
        regs.set(PxSERR, -1);
        regs.set(PxIS, -1);
        hba.set(IS, 1 << port.number);
        // A device still BSY or DRQ, a hung command, an NCQ error (the device waits for READ LOG EXT 10h) or an
        // engine that would not stop: COMRESET (§10.4.2).
        int tfd = regs.get(PxTFD);
        boolean comreset = !idle || reset || (tfd & (PxTFD_STS_BSY | PxTFD_STS_DRQ)) != 0;
        if (comreset) {
            comreset();
        }
        // §10.3.1: PxCMD.ST may be set once PxTFD.STS.BSY and DRQ are clear.
        if (!awaitReady(comreset)) {
            return comreset; // a detach began: the engine stays stopped for it
        }
        regs.set(PxIS, -1);
        regs.setFlags(PxCMD, PxCMD_ST);
        return comreset;
    }

    /**
     * Waits up to the port's {@link AhciPort#readyTimeoutNanos} for PxTFD.STS.BSY and DRQ to clear, polling every
     * millisecond and looking each time whether a detach has begun.
     *
     * @return true once the device is ready, false if the port is closing
     * @throws DeviceTimeoutException if the device stays busy
     */
    private boolean awaitReady(boolean afterComreset) throws DeviceTimeoutException {
        long start = System.nanoTime();
        long timeout = port.readyTimeoutNanos;
        int tfd;
        while (((tfd = regs.get(PxTFD)) & (PxTFD_STS_BSY | PxTFD_STS_DRQ)) != 0) {
            if (port.closing()) {
                return false;
            }
            if (System.nanoTime() - start >= timeout) {
                throw new DeviceTimeoutException(String.format("the disk stayed busy (%s) for %d ms after %s",
                        TaskFile.describe(tfd), TimeUnit.NANOSECONDS.toMillis(timeout),
                        afterComreset ? "its COMRESET" : "its command engine was stopped"), regs.dump());
            }
            LockSupport.parkNanos(READY_POLL_NANOS);
        }
        return true;
    }

    /**
     * What the NCQ Command Error log says of the queued command that failed.
     *
     * @param tag its tag, which is its slot
     * @param taskFile Error and Status as PxTFD holds them (Error in bits 15:8)
     * @param lba the LBA field at the error
     */
    record NcqError(int tag, int taskFile, long lba) {
    }

    /**
     * READ LOG EXT of the NCQ Command Error log in the slot kept for it, with the engine restarted and the lock
     * released (the interrupt handler only acknowledges PxIS while the port recovers): the slot's PxCI bit, then
     * its completion or an error in PxTFD, polled. Returns what the log says of the failed command, or null (logged
     * why) when the read fails, the checksum is wrong, or the log names no outstanding queued command.
     *
     * @param outstanding the queued commands the disk aborted
     */
    private NcqError readNcqErrorLog(int outstanding) throws DeviceTimeoutException {
        CommandSlot slot = port.slot(port.logSlot);
        slot.build(Ahci.ATA_CMD_READ_LOG_EXT, 0, Ahci.ATA_LOG_NCQ_ERROR, 1, Ahci.ATA_LOG_BYTES, false);
        port.causesWhileStopped = 0;
        regs.set(PxCI, slot.bit);
        long deadline = System.nanoTime() + LOG_TIMEOUT.toNanos();
        while ((regs.get(PxCI) & slot.bit) != 0) {
            // its failure is PxIS.TFES (read here, or acknowledged by the interrupt handler meanwhile), not PxTFD.ERR:
            // PxTFD changes only when a FIS arrives, and until the HBA has sent this command it still holds the NCQ
            // error's SDB FIS with ERR, so every log read looked failed on silicon (the model sets BSY at once)
            if (((regs.get(PxIS) | port.causesWhileStopped) & PxIS_TFES) != 0) {
                LOG.warn("{}: READ LOG EXT of the NCQ error log failed ({}); resetting the disk instead", port.name,
                        TaskFile.describe(regs.get(PxTFD)));
                return null;
            }
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("{}: READ LOG EXT of the NCQ error log did not complete within {} ms; resetting the disk"
                        + " instead", port.name, LOG_TIMEOUT.toMillis());
                return null;
            }
            LockSupport.parkNanos(20_000);
        }
        ByteBuffer log = ByteBuffer.allocate(Ahci.ATA_LOG_BYTES);
        slot.copyOut(log, 0, Ahci.ATA_LOG_BYTES);
        int sum = 0;
        for (int i = 0; i < Ahci.ATA_LOG_BYTES; i++) {
            sum += log.get(i);
        }
        int tag = log.get(0) & 0x1F;
        String wrong = (sum & 0xFF) != 0 ? "its checksum is wrong"
                : (log.get(0) & 0x80) != 0 ? "it reports a non-queued command's error (NQ)"
                : (log.get(2) & PxTFD_STS_ERR) == 0 ? "it records no error (Status without ERR)"
                : (outstanding & 1 << tag) == 0 ? "it names tag " + tag + ", which was not outstanding" : null;
        if (wrong != null) {
            LOG.warn("{}: the NCQ error log cannot be used: {}; resetting the disk instead", port.name, wrong);
            return null;
        }
        long lba = 0;
        for (int i = 2; i >= 0; i--) {
            lba = lba << 8 | log.get(8 + i) & 0xFF;
        }
        for (int i = 2; i >= 0; i--) {
            lba = lba << 8 | log.get(4 + i) & 0xFF;
        }
        return new NcqError(tag, (log.get(3) & 0xFF) << 8 | log.get(2) & 0xFF, lba);
    }

    /** The command the NCQ error log names fails, with what the disk said of it. */
    private void failCulpritLocked(NcqError culprit) {
        CommandSlot slot = port.slot(culprit.tag());
        if ((port.issued & slot.bit) == 0) {
            return; // settled meanwhile (a detach)
        }
        String message = port.name + ": " + slot.describe() + " failed: " + TaskFile.describe(culprit.taskFile())
                + " at LBA " + culprit.lba() + " (the disk's NCQ error log)";
        LOG.warn("{}; the other queued commands go again", message);
        port.failLocked(slot, new IOException(message));
    }

    /** §10.4.2 port reset: PxSCTL.DET = 1 for at least 1 ms, then 0; wait for PxSSTS.DET = 3; clear PxSERR. */
    private void comreset() throws DeviceTimeoutException {
        int sctl = regs.get(PxSCTL);
        comresets++;
        regs.set(PxSCTL, (sctl & ~PxSCTL_DET_MASK) | PxSCTL_DET_COMRESET);
        long start = System.nanoTime();
        while (System.nanoTime() - start < COMRESET_HOLD_NANOS) {
            LockSupport.parkNanos(COMRESET_HOLD_NANOS);
        }
        regs.set(PxSCTL, sctl & ~PxSCTL_DET_MASK);
        regs.waitMasked(PxSSTS, PxSSTS_DET_MASK, PxSSTS_DET_ESTABLISHED, LINK_TIMEOUT);
        regs.set(PxSERR, -1);
        regs.waitClear(PxCMD, PxCMD_CR, AhciPort.STOP_TIMEOUT);
        LOG.info("{}: COMRESET done", port.name);
    }

    /**
     * Issues again, with a fresh deadline, what was outstanding; one PxCI write for all of them. Unless
     * {@code queued}, queued commands go again as READ/WRITE DMA EXT: the HBA runs them one at a time (§5.3.2), and
     * new queued ones wait for them; else they go again queued, their PxSACT bits set first (§3.3.13).
     */
    private void reissueLocked(String why, boolean queued) {
        int again = 0;
        long now = System.nanoTime();
        for (int bits = port.issued; bits != 0; bits &= bits - 1) {
            CommandSlot slot = port.slot(Integer.numberOfTrailingZeros(bits));
            if (++slot.attempts > AhciPort.MAX_ATTEMPTS) {
                port.failLocked(slot, new IOException(port.name + ": " + slot.describe() + " gave up after "
                        + AhciPort.MAX_ATTEMPTS + " attempts; the last recovery followed " + why));
            } else {
                slot.deadline = now + slot.timeoutNanos;
                slot.clearTransferred();
                if (!queued) {
                    slot.unqueue();
                    port.queuedIssued &= ~slot.bit;
                }
                again |= slot.bit;
            }
        }
        int sact = again & port.queuedIssued;
        if (sact != 0) {
            regs.set(PxSACT, sact);
        }
        if (again != 0) {
            regs.set(PxCI, again);
        }
    }

    private void brokenLocked(String why) {
        if (port.state == PortState.GONE) {
            return;
        }
        port.state = PortState.BROKEN;
        port.problem = why;
        for (int bits = port.issued; bits != 0; bits &= bits - 1) {
            CommandSlot slot = port.slot(Integer.numberOfTrailingZeros(bits));
            port.failLocked(slot, new IOException(port.name + ": " + slot.describe() + " failed: " + why));
        }
        LOG.warn("{} is out of service: {}", port.name, why);
    }
}
