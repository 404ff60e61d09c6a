package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_STS_ERR;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_STS_GOOD;

/**
 * How one command ended, as the worker that ran it reports it to its port, which then posts the FIS and updates
 * the registers under the HBA's lock.
 *
 * @param kind how it ended
 * @param protocol which FIS reports it
 * @param status ATA Status for the task file
 * @param error ATA Error for the task file
 * @param bytes bytes moved (PRDBC)
 * @param descriptorInterrupt whether a PRD with the I bit was used up (PxIS.DPS)
 * @param deviceBusy for fatal errors, whether the device had the command; for a control FIS, whether the header's
 *        C bit (clear busy upon R_OK) was clear: either way PxTFD.STS.BSY stays set
 * @param fis the command's registers, or null when it was not read
 * @param detail for the log, what went wrong
 */
record Outcome(Kind kind, Protocol protocol, int status, int error, long bytes, boolean descriptorInterrupt,
        boolean deviceBusy, Fis.H2d fis, String detail) {

    enum Kind {
        /** Completed without error. */
        DONE,
        /** The device reported an error: PxIS.TFES. */
        DEVICE_ERROR,
        /** A DMA was refused: a bad pointer (§3.3.5 HBFS). */
        HOST_BUS_FATAL,
        /** The device rejected the command FIS (§3.3.5 IFS). */
        INTERFACE_FATAL,
        /** The PRD table was shorter than the data (§3.3.5 OFS). */
        OVERFLOW,
        /** A control FIS (C = 0): the Device Control register, e.g. SRST. */
        CONTROL,
        /** Cut off by a stop, a reset or an unplug: nothing is reported. */
        ABORTED
    }

    /** Which FIS the device answers with (SATA 2.6): by command protocol. */
    enum Protocol {
        NON_DATA, PIO_IN, DMA, NCQ
    }

    static Outcome done(Protocol protocol, Fis.H2d fis, long bytes, boolean descriptorInterrupt) {
        return new Outcome(Kind.DONE, protocol, ATA_STS_GOOD, 0, bytes, descriptorInterrupt, false, fis, "");
    }

    static Outcome deviceError(Protocol protocol, Fis.H2d fis, int error, String detail) {
        return new Outcome(Kind.DEVICE_ERROR, protocol, ATA_STS_GOOD | ATA_STS_ERR, error, 0, false, false, fis,
                detail);
    }

    static Outcome fatal(Kind kind, Fis.H2d fis, long bytes, boolean deviceBusy, String detail) {
        return new Outcome(kind, Protocol.NON_DATA, 0, 0, bytes, false, deviceBusy, fis, detail);
    }

    static Outcome control(Fis.H2d fis, boolean clearBusy) {
        return new Outcome(Kind.CONTROL, Protocol.NON_DATA, 0, 0, 0, false, !clearBusy, fis, "");
    }

    static Outcome aborted(String why) {
        return new Outcome(Kind.ABORTED, Protocol.NON_DATA, 0, 0, 0, false, false, null, why);
    }
}
