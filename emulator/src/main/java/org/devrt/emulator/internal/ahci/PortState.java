package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;

import java.nio.ByteBuffer;

import org.devrt.emulator.internal.model.DmaFault;
import org.devrt.emulator.internal.model.ModelHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port's register file (AHCI 1.3.1 §3.3) and what the FISes a device sends do to it: the received-FIS area
 * (§4.2.1), PxTFD, PxSIG, PxIS, PxCI and PxSACT as a command is accepted or ends (§5.3.8 RegFIS, §5.3.13 SDB), and
 * the stop after an error (§6.2.2).
 * {@link AhciPort} adds the registers' access semantics, the link and the command engine. Guarded by the HBA's lock.
 */
abstract class PortState {
    private static final Logger LOG = LoggerFactory.getLogger(PortState.class);

    final int index;
    final ModelHost host;
    int clb;
    int clbu;
    int fb;
    int fbu;
    /** PxIS without PCS and PRCS, which {@link #interruptStatus()} derives from PxSERR. */
    int is;
    int ie;
    /** The PxCMD bits software controls (ST, SUD, FRE) and CCS; AhciPort computes the others. */
    int cmd;
    int tfd;
    int sig;
    int sctl;
    int serr;
    int sact;
    int ci;
    /** §6.2.2: after a fatal error or a task file error the port issues nothing until ST is cleared. */
    boolean halted;
    /** A control FIS with SRST set came: the device is held in software reset (§10.4.1). */
    boolean softReset;

    PortState(ModelHost host, int index) {
        this.host = host;
        this.index = index;
    }

    /** §3.3.5: PCS reflects PxSERR.DIAG.X, PRCS reflects PxSERR.DIAG.N; they clear only with those bits. */
    int interruptStatus() {
        return is | ((serr & SERR_DIAG_X) != 0 ? PxIS_PCS : 0) | ((serr & SERR_DIAG_N) != 0 ? PxIS_PRCS : 0);
    }

    long commandListBase() {
        return (clbu & 0xffff_ffffL) << 32 | (clb & 0xffff_ffffL);
    }

    long fisBase() {
        return (fbu & 0xffff_ffffL) << 32 | (fb & 0xffff_ffffL);
    }

    /** The device's signature after a reset: status 50h, error 01h (diagnostics passed), count and LBA 1. */
    void signature() {
        deviceReset();
        tfd = 0x01 << PxTFD_ERR_SHIFT | ATA_STS_GOOD;
        sig = SIG_ATA;
        post(RFIS_RFIS, Fis.d2h(ATA_STS_GOOD, 0x01, 1, 1, false));
    }

    /**
     * A queued command was accepted (SATA DFPDMAQ2: ClearInterfaceBsy): the device's D2H Register FIS with BSY, DRQ
     * and I clear sets PxTFD and clears the slot's PxCI bit without an interrupt (§5.3.8 RegFIS:ClearCI).
     *
     * @return false if the FIS could not be posted (a host bus fatal error halted the port)
     */
    boolean queuedAccepted(int slot) {
        if (!post(RFIS_RFIS, Fis.d2h(ATA_STS_GOOD, 0, 0, 0, false))) {
            return false;
        }
        tfd = ATA_STS_GOOD;
        ci &= ~(1 << slot);
        return true;
    }

    /** The port halted (§6.2.2): the command engine stops, and the device aborts what it holds. */
    abstract void haltEngine();

    /** Whether the HBA writes PRDBC back for non-queued commands (see {@link AhciModel#leavePrdbc}). */
    abstract boolean writesPrdbc();

    /** The device was reset and sends its signature: it forgets an NCQ error. */
    abstract void deviceReset();

    /** What a worker's outcome does to the registers; the caller checked that the slot was not cut off. */
    void report(int slot, Outcome o) {
        switch (o.kind()) {
            case DONE -> completed(slot, o);
            case DEVICE_ERROR -> failed(slot, o);
            case HOST_BUS_FATAL -> fatal(slot, PxIS_HBFS, 0, o);
            case INTERFACE_FATAL -> fatal(slot, PxIS_IFS, SERR_ERR_P, o);
            case OVERFLOW -> fatal(slot, PxIS_OFS, 0, o);
            case CONTROL -> control(slot, o);
            case ABORTED -> LOG.debug("port {} slot {}: {}", index, slot, o.detail());
        }
    }

    /**
     * §5: PRDBC written back, then the FIS the protocol ends with, PxTFD, the PxIS bit, and PxCI or PxSACT. Not PRDBC
     * for a queued command: it is not defined for FPDMA QUEUED (§5.4.1), and HBAs leave it as it was; written, it
     * let a driver that relied on it pass here and fail every queued command on such silicon.
     */
    private void completed(int slot, Outcome o) {
        int bit = 1 << slot;
        if (o.protocol() != Outcome.Protocol.NCQ && writesPrdbc() && !writePrdbc(slot, o.bytes())) {
            return;
        }
        switch (o.protocol()) {
            case PIO_IN -> {
                int drq = ATA_STS_DRDY | 0x10 | ATA_STS_DRQ;
                if (!post(RFIS_PSFIS, Fis.pioSetupIn(drq, o.status(), ATA_SECTOR))) {
                    return;
                }
                tfd = o.status();
                is |= PxIS_PSS;
                ci &= ~bit;
            }
            case NCQ -> {
                if (!post(RFIS_SDBFIS, Fis.setDeviceBits(o.status(), 0, bit, true))) {
                    return;
                }
                tfd = tfd & ~0xff77 | o.status() & 0x77; // SDB FIS: Status bits 6:4 and 2:0 and Error; not BSY, DRQ
                sact &= ~bit;
                is |= PxIS_SDBS;
            }
            default -> {
                if (!post(RFIS_RFIS, Fis.d2h(o.status(), 0, o.fis().lba(), o.fis().count(), true))) {
                    return;
                }
                tfd = o.status();
                is |= PxIS_DHRS;
                ci &= ~bit;
            }
        }
        if (o.descriptorInterrupt()) {
            is |= PxIS_DPS;
        }
    }

    /** §3.3.5 TFES: the device ended the command with ERR: PxTFD has it, the slot stays in PxCI (§6.2.2). */
    private void failed(int slot, Outcome o) {
        boolean posted = o.protocol() == Outcome.Protocol.NCQ
                ? post(RFIS_SDBFIS, Fis.setDeviceBits(o.status(), o.error(), 0, true))
                : post(RFIS_RFIS, Fis.d2h(o.status(), o.error(), o.fis().lba(), o.fis().count(), true));
        if (!posted) {
            return;
        }
        if (o.protocol() == Outcome.Protocol.NCQ) {
            is |= PxIS_SDBS;
            tfd = o.error() << PxTFD_ERR_SHIFT | tfd & 0x88 | o.status() & 0x77; // SDB FIS: not BSY, DRQ
        } else {
            is |= PxIS_DHRS;
            tfd = o.error() << PxTFD_ERR_SHIFT | o.status();
        }
        is |= PxIS_TFES;
        halt(slot, "task file error", o);
    }

    private void fatal(int slot, int status, int errors, Outcome o) {
        is |= status;
        serr |= errors;
        if (o.deviceBusy()) {
            tfd |= PxTFD_STS_BSY; // the device still holds the command: recovery needs CLO or COMRESET
        }
        halt(slot, "fatal error", o);
    }

    /** §6.2.2: CCS still names the slot that was issued last, which for a non-queued command is the culprit. */
    private void halt(int slot, String what, Outcome o) {
        halted = true;
        haltEngine();
        LOG.debug("port {} slot {}: {}: {}; no more commands until PxCMD.ST is cleared (§6.2.2)", index, slot,
                what, o.detail());
    }

    /** A control FIS (C = 0, §10.4.1 software reset): SRST set holds the device in reset, clear ends it. */
    private void control(int slot, Outcome o) {
        ci &= ~(1 << slot);
        if ((o.fis().control() & ATA_CONTROL_SRST) != 0) {
            softReset = true;
            tfd = o.deviceBusy() ? tfd & ~0xff | ATA_STS_BSY : tfd & ~0xff; // header C: BSY cleared on R_OK
        } else if (softReset) {
            softReset = false;
            signature();
        }
    }

    private boolean writePrdbc(int slot, long bytes) {
        long header = commandListBase() + (long) slot * CMD_HEADER_SIZE;
        try {
            host.dmaWrite32(header + CMDH_PRDBC, (int) bytes);
            return true;
        } catch (DmaFault e) {
            return hostBusFatal(e);
        }
    }

    /** Posts a FIS into the received-FIS area when FRE is set (§4.2.1); a refused DMA is a host bus error. */
    private boolean post(int offset, ByteBuffer fis) {
        if ((cmd & PxCMD_FRE) == 0) {
            return true;
        }
        try {
            host.dmaWrite(fisBase() + offset, fis);
            return true;
        } catch (DmaFault e) {
            return hostBusFatal(e);
        }
    }

    private boolean hostBusFatal(DmaFault e) {
        is |= PxIS_HBFS;
        halted = true;
        haltEngine();
        LOG.debug("port {}: host bus fatal error: {}", index, e.getMessage());
        return false;
    }
}
