package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port (AHCI 1.3.1 §3.3) and the disk behind it: what each register does when read or written, and the link
 * (spin-up, COMRESET, hot plug). The register file and what a device's FIS does to it are in {@link PortState};
 * the PxCI doorbell drives the {@link CommandEngine} (§5.3.2: non-queued commands one at a time, NCQ commands
 * together).
 *
 * <p>Locking: everything here runs under the HBA's lock ({@link AhciModel#lock}), except {@link #epoch()}, which
 * a worker reads without it. PxCMD.CR stays set while a worker of this port still runs, so software that waits for
 * CR = 0 (§10.1.2) knows no DMA is in flight.
 */
final class AhciPort extends PortState {
    private static final Logger LOG = LoggerFactory.getLogger(AhciPort.class);
    /** PxSSTS.SPD: Gen2 (3 Gbps), as CAP.ISS says. */
    static final int SPEED = 2;

    final PortFaults faults = new PortFaults();
    private final AhciModel hba;

    @Override
    boolean writesPrdbc() {
        return hba.writesPrdbc();
    }
    private final AtaDisk disk;

    private final CommandEngine engine;

    /** A disk is in the bay (surprise removal takes it out). */
    private boolean present;
    /** The PHY lost the link (a fault); COMRESET brings it back. */
    private boolean linkLost;
    private boolean linkUp;
    /** Counts link-ups, so that a spin-up timer of an earlier one does nothing. */
    private int linkUps;

    AhciPort(AhciModel hba, int index, AtaDisk disk) {
        super(hba.host(), index);
        this.hba = hba;
        this.disk = disk;
        this.present = disk != null;
        this.engine = new CommandEngine(this, hba);
        powerOn(false);
    }

    int epoch() {
        return engine.epoch();
    }

    AtaDisk disk() {
        return disk;
    }

    /** Whether this port has an interrupt pending: a PxIS bit whose PxIE bit is set (§3.1.3 IS.IPS). */
    boolean interruptPending() {
        return (interruptStatus() & ie) != 0;
    }

    boolean busy() {
        return engine.busy();
    }

    /** Whether the disk is in the port (not pulled out). */
    boolean present() {
        return present;
    }

    boolean linkUp() {
        return linkUp;
    }

    /** A worker caught a bug of the model itself (not of the driver). */
    void modelFailed() {
        hba.modelFailures.incrementAndGet();
    }

    // Register access (§3.3), offsets within the port's 0x80 bytes

    int read(int offset) {
        return switch (offset) {
            case PxCLB -> clb;
            case PxCLBU -> clbu;
            case PxFB -> fb;
            case PxFBU -> fbu;
            case PxIS -> interruptStatus();
            case PxIE -> ie;
            case PxCMD -> cmd();
            case PxTFD -> tfd;
            case PxSIG -> sig;
            case PxSSTS -> ssts();
            case PxSCTL -> sctl;
            case PxSERR -> serr;
            case PxSACT -> sact;
            case PxCI -> ci;
            case PxSNTF, PxFBS, PxDEVSLP -> 0;
            default -> {
                LOG.debug("port {}: read of reserved offset 0x{} reads 0", index, Integer.toHexString(offset));
                yield 0;
            }
        };
    }

    void write(int offset, int value) {
        switch (offset) {
            case PxCLB, PxCLBU -> writeCommandListBase(offset, value);
            case PxFB, PxFBU -> writeFisBase(offset, value);
            case PxIS -> is &= ~(value & PxIS_IMPLEMENTED); // RWC; PCS and PRCS follow PxSERR
            case PxIE -> ie = value & PxIS_IMPLEMENTED;
            case PxCMD -> writeCmd(value);
            case PxSCTL -> writeSctl(value);
            case PxSERR -> serr &= ~(value & SERR_DEFINED); // RWC
            case PxSACT -> {
                if ((cmd & PxCMD_ST) != 0) {
                    sact |= value; // §3.3.13: software sets bits; writing 0 has no effect
                } else {
                    hba.violation("port " + index + ": PxSACT written while PxCMD.ST is 0 (§3.3.13): ignored");
                }
            }
            case PxCI -> {
                if ((cmd & PxCMD_ST) != 0) {
                    ci |= value; // §3.3.14 doorbell: software sets bits; the HBA clears them
                    engine.kick();
                } else {
                    hba.violation("port " + index + ": PxCI written while PxCMD.ST is 0 (§3.3.14): ignored");
                }
            }
            default -> LOG.debug("port {}: write of 0x{} to read-only or reserved offset 0x{} ignored", index,
                    Integer.toHexString(value), Integer.toHexString(offset));
        }
    }

    /** §3.3.7: CR while the engine runs or a worker is still out; FR follows FRE; POD and HPCP read 1. */
    private int cmd() {
        int value = cmd | PxCMD_POD | PxCMD_HPCP;
        if (!hba.staggeredSpinUp()) {
            value |= PxCMD_SUD; // §3.3.7: SUD is read-only 1 when CAP.SSS is 0
        }
        if ((cmd & PxCMD_ST) != 0 || engine.busy()) {
            value |= PxCMD_CR;
        }
        if ((cmd & PxCMD_FRE) != 0) {
            value |= PxCMD_FR;
        }
        return value;
    }

    /** §3.3.10: DET 3 with the speed and IPM active while the link is up. */
    private int ssts() {
        if ((sctl & SCTL_DET_MASK) == SCTL_DET_OFFLINE) {
            return SSTS_DET_OFFLINE;
        }
        if (linkUp) {
            return SSTS_IPM_ACTIVE << SSTS_IPM_SHIFT | SPEED << SSTS_SPD_SHIFT | SSTS_DET_PRESENT_PHY;
        }
        return present && linkLost ? SSTS_DET_PRESENT_NO_PHY : SSTS_DET_NONE;
    }

    /** §3.3.1: 1 KiB aligned; must not change while the command list engine runs (ST or CR set). */
    private void writeCommandListBase(int offset, int value) {
        if ((cmd() & (PxCMD_ST | PxCMD_CR)) != 0) {
            hba.violation("port " + index + ": PxCLB" + (offset == PxCLBU ? "U" : "")
                    + " written while PxCMD.ST or CR is set (§3.3.1): ignored");
        } else if (offset == PxCLB) {
            clb = value & ~0x3ff;
        } else {
            clbu = value;
        }
    }

    /** §3.3.2: 256-byte aligned; must not change while FIS receive runs (FRE or FR set). */
    private void writeFisBase(int offset, int value) {
        if ((cmd & PxCMD_FRE) != 0) {
            hba.violation("port " + index + ": PxFB" + (offset == PxFBU ? "U" : "")
                    + " written while PxCMD.FRE is set (§3.3.2): ignored");
        } else if (offset == PxFB) {
            fb = value & ~0xff;
        } else {
            fbu = value;
        }
    }

    /** §3.3.7 PxCMD: CLO, FRE, SUD, then ST, each with the spec's conditions. */
    private void writeCmd(int value) {
        boolean running = (cmd & PxCMD_ST) != 0;
        if ((value & PxCMD_CLO) != 0) {
            if (running) {
                hba.violation("port " + index + ": PxCMD.CLO set while ST is 1 (§3.3.7): ignored");
            } else {
                tfd &= ~(PxTFD_STS_BSY | PxTFD_STS_DRQ); // self-clearing: reads 0 afterwards
            }
        }
        boolean fre = (value & PxCMD_FRE) != 0;
        if (!fre && (cmd & PxCMD_FRE) != 0 && (running || engine.busy())) {
            hba.violation("port " + index + ": PxCMD.FRE cleared while ST or CR is set (§3.3.7): ignored");
            fre = true;
        }
        cmd = fre ? cmd | PxCMD_FRE : cmd & ~PxCMD_FRE;
        if (hba.staggeredSpinUp()) {
            boolean sud = (value & PxCMD_SUD) != 0;
            if (sud && (cmd & PxCMD_SUD) == 0) {
                cmd |= PxCMD_SUD; // §3.3.7: a 0 to 1 edge starts the COMRESET sequence
                tryLinkUp();
            } else if (!sud && (cmd & PxCMD_SUD) != 0) {
                cmd &= ~PxCMD_SUD; // listen mode: the link goes down
                linkDown(0);
            }
        }
        boolean st = (value & PxCMD_ST) != 0;
        if (st && !running) {
            start();
        } else if (!st && running) {
            stop();
        }
    }

    private void start() {
        if ((tfd & (PxTFD_STS_BSY | PxTFD_STS_DRQ)) != 0 || (ssts() & SSTS_DET_MASK) != SSTS_DET_PRESENT_PHY) {
            hba.violation("port " + index + ": PxCMD.ST set while PxTFD.STS.BSY or DRQ is set or PxSSTS.DET is not 3"
                    + " (§10.3.1): started anyway");
        }
        if ((cmd & PxCMD_FRE) == 0) {
            hba.violation("port " + index + ": PxCMD.ST set before FRE (§3.3.7 says FRE first); no FIS will be posted");
        }
        cmd = cmd & ~PxCMD_CCS_MASK | PxCMD_ST; // §3.3.7 CCS: issue starts again from slot 0
        halted = false;
        engine.started();
        engine.kick();
    }

    /** ST 1 to 0: PxCI and PxSACT clear (§3.3.13, §3.3.14), workers are cut off; CR clears when they are out. */
    private void stop() {
        cmd &= ~(PxCMD_ST | PxCMD_CCS_MASK);
        ci = 0;
        sact = 0;
        halted = false;
        engine.clear();
    }

    /** §3.3.11 PxSCTL.DET: 1 holds COMRESET; back to 0 the link comes up; 4 takes the PHY offline. */
    private void writeSctl(int value) {
        int oldDet = sctl & SCTL_DET_MASK;
        int det = value & SCTL_DET_MASK;
        if (det != oldDet && (cmd & PxCMD_ST) != 0) {
            hba.violation("port " + index + ": PxSCTL.DET changed while PxCMD.ST is 1 (undefined, §3.3.11): done anyway");
        }
        sctl = value & SCTL_WRITABLE;
        if (det == SCTL_DET_COMRESET || det == SCTL_DET_OFFLINE) {
            linkDown(0);
            tfd = PxTFD_RESET;
            sig = PxSIG_RESET;
            linkLost = false;
        } else if (det == SCTL_DET_NONE && oldDet != SCTL_DET_NONE) {
            tryLinkUp();
        }
    }

    // The link

    /**
     * The device answers COMINIT and the link comes up when it is present, spun up and not held in reset: PxSSTS
     * shows DET 3, PxSERR gets N, W and X (PhyRdy change, COMWAKE, device exchanged), and the device sends its
     * signature in a D2H Register FIS (§10.4.2) that sets PxSIG and PxTFD, posted when FRE is set.
     */
    private void tryLinkUp() {
        boolean spunUp = !hba.staggeredSpinUp() || (cmd & PxCMD_SUD) != 0;
        if (!present || !spunUp || (sctl & SCTL_DET_MASK) != SCTL_DET_NONE || linkUp) {
            return;
        }
        linkLost = false;
        linkUp = true;
        softReset = false;
        serr |= SERR_DIAG_N | SERR_DIAG_W | SERR_DIAG_X;
        int up = ++linkUps;
        long spinUp = hba.spinUpMillis();
        if (spinUp > 0) {
            tfd = PxTFD_STS_BSY; // spinning up: the signature comes once the disk is ready
            hba.later(() -> {
                if (linkUp && linkUps == up) {
                    signature();
                    engine.kick();
                }
            }, spinUp);
            return;
        }
        signature();
        engine.kick();
    }

    /** The link goes down: every command out is cut off and will not complete. */
    private void linkDown(int serrBits) {
        if (linkUp) {
            serr |= serrBits;
        }
        linkUp = false;
        engine.linkLost();
        tfd = PxTFD_RESET;
    }

    void surpriseRemove() {
        present = false;
        linkDown(SERR_DIAG_N | SERR_DIAG_X);
    }

    void insert() {
        if (disk == null) {
            throw new IllegalStateException("port " + index + " has no disk image to insert (option disk" + index
                    + ")");
        }
        present = true;
        tryLinkUp();
    }

    void dropLink() {
        if (linkUp) {
            linkDown(SERR_DIAG_N);
            linkLost = true;
        }
    }

    // The command engine (§5.3.2)

    @Override
    void haltEngine() {
        engine.aborted();
    }

    @Override
    void deviceReset() {
        engine.deviceReset();
    }

    /** A worker is done with its slot. */
    void finish(SlotCommand command, Outcome outcome) {
        engine.finish(command, outcome);
    }

    // Resets

    /** Stops all work for a reset; the caller waits until no worker is out, then calls {@link #powerOn}. */
    void quiesce() {
        stop();
        linkUp = false;
    }

    /**
     * Power-on values (§3.3), or those after GHC.HR when {@code keepBases} (§10.4.3: PxCLB and PxFB survive). With
     * staggered spin-up the port waits for PxCMD.SUD; without, the link comes up now.
     */
    void powerOn(boolean keepBases) {
        if (!keepBases) {
            clb = clbu = fb = fbu = 0;
        }
        is = ie = cmd = sctl = serr = sact = ci = 0;
        engine.clear();
        engine.deviceReset();
        halted = softReset = linkUp = linkLost = false;
        tfd = PxTFD_RESET;
        sig = PxSIG_RESET;
        tryLinkUp();
    }

    @Override
    public String toString() {
        return String.format("port %d: CLB 0x%08x%08x FB 0x%08x%08x IS 0x%08x IE 0x%08x CMD 0x%08x TFD 0x%04x"
                + " SIG 0x%08x SSTS 0x%03x SCTL 0x%03x SERR 0x%08x SACT 0x%08x CI 0x%08x, %s%s, %s",
                index, clbu, clb, fbu, fb, interruptStatus(), ie, cmd(), tfd, sig, ssts(), sctl, serr, sact, ci,
                engine, halted ? ", halted" : "", faults);
    }
}
