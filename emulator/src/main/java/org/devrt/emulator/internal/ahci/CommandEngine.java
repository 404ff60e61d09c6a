package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.PxCMD_CCS_MASK;
import static org.devrt.emulator.internal.ahci.AhciRegs.PxCMD_CCS_SHIFT;
import static org.devrt.emulator.internal.ahci.AhciRegs.PxCMD_ST;
import static org.devrt.emulator.internal.ahci.AhciRegs.PxIS_INFS;
import static org.devrt.emulator.internal.ahci.AhciRegs.PxTFD_STS_BSY;
import static org.devrt.emulator.internal.ahci.AhciRegs.PxTFD_STS_DRQ;
import static org.devrt.emulator.internal.ahci.AhciRegs.SERR_ERR_M;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port's command engine, after the port state machine of AHCI 1.3.1 §5.3.2 and the device's side of SATA and
 * ATA8-ACS. It issues one command FIS at a time, and only while PxTFD.STS.BSY and DRQ are clear (P:Idle): it picks
 * the next slot set in PxCI, round-robin from PxCMD.CCS + 1 (§3.3.7 CCS, §3.3.14; slot 0 first after PxCMD.ST was
 * set), makes CCS that slot (P:SelectCmd), fetches its header and FIS (P:FetchCmd) and transmits the FIS, setting
 * BSY (CFIS:Xmit). What the device then does decides when the next one goes:
 * <ul>
 * <li>a non-queued command (IDENTIFY, READ/WRITE DMA EXT, FLUSH CACHE EXT) keeps BSY set while it runs, until
 * its D2H Register FIS (or PIO Setup FIS) clears BSY and, without ERR, its PxCI bit (§5.3.8 RegFIS:ClearCI): so
 * non-queued commands run one after another, whatever software wrote to PxCI;</li>
 * <li>a queued command (READ/WRITE FPDMA QUEUED) is accepted at once with a D2H Register FIS that has BSY, DRQ and
 * I clear (SATA DFPDMAQ2: ClearInterfaceBsy): its PxCI bit clears and the next command goes while it runs, so up to
 * 32 run together; each ends with a Set Device Bits FIS that clears its PxSACT bit (§3.3.13).</li>
 * </ul>
 * The device refuses a non-queued command while it holds queued ones (ATA8-ACS), which aborts its queue too. After
 * a queued command failed it refuses everything but READ LOG EXT of the NCQ Command Error log until it was read or
 * the device reset. A
 * command runs ({@link SlotCommand#run}) on the thread that rang the doorbell, right after its write
 * ({@link AhciModel#submit}), or on a worker {@code delay} ms late when a test asked for it.
 *
 * <p>Guarded by the HBA's lock, except {@link #epoch}, which a worker reads without it. The epoch counts cut-offs
 * (PxCMD.ST cleared, COMRESET, link loss, reset, an error that halts the port): a worker whose epoch is stale moves
 * no more data and reports nothing.
 */
final class CommandEngine {
    private static final Logger LOG = LoggerFactory.getLogger(CommandEngine.class);

    private final AhciPort port;
    private final AhciModel hba;
    /** Slots a worker holds (transmitted, not finished): PxCMD.CR stays set while any is. */
    private int started;
    /** Transmitted slots that will never complete: hung by a fault or cut off by COMRESET or link loss. */
    private int parked;
    /** The device's queue: NCQ tags it accepted and has not completed. */
    private int queued;
    /**
     * The NCQ Command Error log while the device is in its NCQ error state (null otherwise): after a queued command
     * failed it accepts only READ LOG EXT of that log, which returns and clears it, and a reset (SATA 3.x 13.6.3.2;
     * drive manuals: "the device reports abort for other commands").
     */
    private byte[] ncqError;
    /** §3.3.7 CCS: after ST goes from 0 to 1 the search starts at slot 0, afterwards at CCS + 1. */
    private boolean fromSlotZero = true;
    private final SlotCommand[] running = new SlotCommand[32];
    private volatile int epoch;

    CommandEngine(AhciPort port, AhciModel hba) {
        this.port = port;
        this.hba = hba;
    }

    int epoch() {
        return epoch;
    }

    /** Whether a worker still holds a slot (PxCMD.CR). */
    boolean busy() {
        return started != 0;
    }

    /** PxCMD.ST went from 0 to 1: the next slot issued is searched from slot 0 (§3.3.7 CCS). */
    void started() {
        fromSlotZero = true;
    }

    /** ST cleared or a reset: nothing is parked, the device's queue is gone, every worker is cut off. */
    void clear() {
        parked = 0;
        queued = 0;
        cutOff();
    }

    /** The link went down: what was issued never completes, the device's queue is lost. */
    void linkLost() {
        parked |= port.ci;
        queued = 0;
        cutOff();
    }

    /** The device was reset (COMRESET, SRST, HBA reset): it leaves its NCQ error state. */
    void deviceReset() {
        ncqError = null;
    }

    /** An error halted the port (§6.2.2): the device aborted its queue and the commands in it (ATA8-ACS NCQ). */
    void aborted() {
        queued = 0;
        cutOff();
    }

    /**
     * P:Idle: transmits command FISes while the port runs, is not halted, the link is up, BSY and DRQ are clear
     * and PxCI has a slot that was not transmitted yet.
     */
    void kick() {
        while ((port.cmd & PxCMD_ST) != 0 && !port.halted && port.linkUp()
                && (port.tfd & (PxTFD_STS_BSY | PxTFD_STS_DRQ)) == 0) {
            int ready = port.ci & ~started & ~parked;
            if (ready == 0) {
                return;
            }
            transmit(next(ready));
        }
    }

    /** P:SelectCmd: the first slot of {@code ready} at or after CCS + 1, wrapping from 31 to 0. */
    private int next(int ready) {
        int from = fromSlotZero ? 0 : ((port.cmd & PxCMD_CCS_MASK) >>> PxCMD_CCS_SHIFT) + 1 & 31;
        return Integer.numberOfTrailingZeros(Integer.rotateRight(ready, from)) + from & 31;
    }

    /** P:SelectCmd, P:FetchCmd and CFIS:Xmit for {@code slot}, then the device's answer. */
    private void transmit(int slot) {
        fromSlotZero = false;
        port.cmd = port.cmd & ~PxCMD_CCS_MASK | slot << PxCMD_CCS_SHIFT;
        int bit = 1 << slot;
        PortFaults.Decision fault = port.faults.next();
        SlotCommand command = new SlotCommand(port, slot, epoch, hba.host(), port.disk(), hba.ncq(), fault.fail());
        Outcome refused = command.fetch(port.commandListBase());
        if (refused == null && fault.linkError()) {
            refused = Outcome.fatal(Outcome.Kind.INTERFACE_FATAL, null, 0, false,
                    "a CRC error on the link (fault injected)");
        }
        if (refused != null) {
            port.report(slot, refused);
            return;
        }
        if (fault.recoveredError()) { // §3.3.5 INFS: "was able to continue operation"
            port.is |= PxIS_INFS;
            port.serr |= SERR_ERR_M;
        }
        port.tfd |= PxTFD_STS_BSY; // CFIS:Xmit: the interface is busy until the device answers
        boolean readsLog = command.readsNcqErrorLog();
        Outcome answered = ncqError != null && !readsLog ? command.refused("the device is in its NCQ error state:"
                + " it takes only READ LOG EXT of log 10h, or a reset") : command.accept(queued);
        if (answered != null) {
            port.report(slot, answered);
            return;
        }
        if (readsLog) {
            command.ncqErrorLog(ncqError); // read: the device takes commands again
            ncqError = null;
        }
        if (command.queued()) {
            if ((port.sact & bit) == 0) { // §5.3.2: the tag to track is the PxSACT bit software sets first
                hba.violation("port " + port.index + " slot " + slot + ": an FPDMA QUEUED command issued without its"
                        + " PxSACT bit (§3.3.13): run anyway");
            }
            if (!port.queuedAccepted(slot)) {
                return;
            }
            queued |= bit;
        }
        if (fault.hang()) {
            LOG.debug("port {} slot {}: never completes (fault injected)", port.index, slot);
            parked |= bit;
            return;
        }
        if (!hba.submit(command, fault.delayMillis())) {
            parked |= bit; // the model is closing
            return;
        }
        started |= bit;
        running[slot] = command;
    }

    /** Cuts every worker off: queued ones are dropped now, running ones stop at their next check. */
    private void cutOff() {
        epoch++;
        for (int out = started; out != 0; out &= out - 1) {
            int slot = Integer.numberOfTrailingZeros(out);
            SlotCommand command = running[slot];
            if (command != null && command.claimed.compareAndSet(false, true)) {
                release(slot); // it had not started: whoever picks it up finds it claimed and skips it
            }
        }
    }

    private void release(int slot) {
        started &= ~(1 << slot);
        running[slot] = null;
    }

    /** A worker is done with its slot: report the outcome unless it was cut off, then issue what waits. */
    void finish(SlotCommand command, Outcome outcome) {
        synchronized (hba.lock) {
            if (running[command.slot] == command) {
                release(command.slot);
            }
            if (command.epoch == epoch) {
                queued &= ~(1 << command.slot);
                if (outcome.kind() == Outcome.Kind.DEVICE_ERROR && outcome.protocol() == Outcome.Protocol.NCQ) {
                    ncqError = SlotCommand.ncqErrorLog(command.slot, outcome);
                }
                port.report(command.slot, outcome);
                kick();
            }
            hba.updateInterrupt();
            hba.lock.notifyAll();
        }
    }

    @Override
    public String toString() {
        return String.format("workers 0x%08x, parked 0x%08x, device queue 0x%08x", started, parked, queued);
    }
}
