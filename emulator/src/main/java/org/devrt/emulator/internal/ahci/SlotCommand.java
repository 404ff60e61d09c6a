package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_CMD_FLUSH_CACHE_EXT;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_CMD_IDENTIFY_DEVICE;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_CMD_READ_LOG_EXT;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_LOG_NCQ_ERROR;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_CMD_READ_DMA_EXT;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_CMD_READ_FPDMA_QUEUED;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_CMD_WRITE_DMA_EXT;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_CMD_WRITE_FPDMA_QUEUED;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_ERR_ABRT;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_ERR_UNC;
import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_SECTOR;
import static org.devrt.emulator.internal.ahci.AhciRegs.CMDH_C;
import static org.devrt.emulator.internal.ahci.AhciRegs.CMDH_CFL_MASK;
import static org.devrt.emulator.internal.ahci.AhciRegs.CMDH_CTBA;
import static org.devrt.emulator.internal.ahci.AhciRegs.CMDH_CTBAU;
import static org.devrt.emulator.internal.ahci.AhciRegs.CMDH_PRDTL_SHIFT;
import static org.devrt.emulator.internal.ahci.AhciRegs.CMD_HEADER_SIZE;
import static org.devrt.emulator.internal.ahci.AhciRegs.CTBA_RESERVED;
import static org.devrt.emulator.internal.ahci.AhciRegs.CT_CFIS;
import static org.devrt.emulator.internal.ahci.AhciRegs.CT_PRDT;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_REG_H2D_LENGTH;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_TYPE_REG_H2D;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

import org.devrt.emulator.internal.ahci.Outcome.Kind;
import org.devrt.emulator.internal.ahci.Outcome.Protocol;
import org.devrt.emulator.internal.model.DmaFault;
import org.devrt.emulator.internal.model.ModelHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command slot, from the command FIS's transmission to its end. Under the HBA's lock the port's command engine
 * calls {@link #fetch} (P:FetchCmd, §5.3.2: the command header, §4.2.2, and the command FIS, §4.2.3) and
 * {@link #accept} (what the device answers the FIS with: a control FIS, a queued command it takes into its queue,
 * or a command it refuses); then a worker thread {@link #run}s the ATA command against the disk, moving data
 * through the PRD table, and hands the {@link Outcome} to its port. Everything the driver wrote is checked before
 * use: a bad CFL or FIS type is an interface error, a pointer the bus refuses is a host bus error, a short PRD
 * table an overflow, a bad LBA or an unknown command an ATA abort. Between chunks of data the worker checks whether
 * it was cut off (PxCMD.ST cleared, a COMRESET, a reset, an error that aborted the device's queue), and then stops
 * without further DMA.
 */
final class SlotCommand implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotCommand.class);
    /** Data moves in pieces of at most this size; between them the command checks whether it was cut off. */
    static final int CHUNK = 1 << 20;

    final AhciPort port;
    final int slot;
    final int epoch;
    private final ModelHost host;
    private final AtaDisk disk;
    private final boolean ncq;
    private final boolean injectAbort;
    /** Taken by whoever gets the slot first: the worker, to run it, or a stop, to drop it before it runs. */
    final AtomicBoolean claimed = new AtomicBoolean();
    private Fis.H2d fis;
    private Prdt prdt;
    /** Header C bit: clear BSY and the PxCI bit once the FIS was sent (R_OK), for a control FIS (§10.4.1). */
    private boolean clearBusy;
    /** For READ LOG EXT of log 10h: the NCQ Command Error log as the device held it when the command came. */
    private byte[] errorLog;

    SlotCommand(AhciPort port, int slot, int epoch, ModelHost host, AtaDisk disk, boolean ncq, boolean injectAbort) {
        this.port = port;
        this.slot = slot;
        this.epoch = epoch;
        this.host = host;
        this.disk = disk;
        this.ncq = ncq;
        this.injectAbort = injectAbort;
    }

    /**
     * P:FetchCmd: reads the command header and the command FIS. The device has not seen the FIS yet, so what goes
     * wrong here leaves it idle (no BSY).
     *
     * @return null when the FIS can be transmitted, else how the command ended
     */
    Outcome fetch(long commandList) {
        try {
            ByteBuffer header = ByteBuffer.allocate(CMD_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            host.dmaRead(commandList + (long) slot * CMD_HEADER_SIZE, header);
            int dw0 = header.getInt(0);
            int cfl = dw0 & CMDH_CFL_MASK;
            long table = (header.getInt(CMDH_CTBA) & ~CTBA_RESERVED & 0xffff_ffffL)
                    | (header.getInt(CMDH_CTBAU) & 0xffff_ffffL) << 32;
            if (cfl < FIS_REG_H2D_LENGTH / 4 || cfl > 16) {
                return Outcome.fatal(Kind.INTERFACE_FATAL, null, 0, false,
                        "CFL " + cfl + " dwords cannot hold a Register H2D FIS (5..16)");
            }
            ByteBuffer cfis = ByteBuffer.allocate(FIS_REG_H2D_LENGTH);
            host.dmaRead(table + CT_CFIS, cfis);
            if ((cfis.get(0) & 0xff) != FIS_TYPE_REG_H2D) {
                return Outcome.fatal(Kind.INTERFACE_FATAL, null, 0, false, String.format(
                        "command FIS type 0x%02x is not a Register H2D FIS (0x27)", cfis.get(0) & 0xff));
            }
            fis = Fis.H2d.parse(cfis);
            prdt = new Prdt(host, table + CT_PRDT, dw0 >>> CMDH_PRDTL_SHIFT);
            clearBusy = (dw0 & CMDH_C) != 0;
            return null;
        } catch (DmaFault e) {
            return Outcome.fatal(Kind.HOST_BUS_FATAL, null, 0, false, e.getMessage());
        }
    }

    /** Whether the FIS carries READ or WRITE FPDMA QUEUED (ATA8-ACS): the device queues it and answers at once. */
    boolean queued() {
        return fis.commandUpdate()
                && (fis.command() == ATA_CMD_READ_FPDMA_QUEUED || fis.command() == ATA_CMD_WRITE_FPDMA_QUEUED);
    }

    /** Whether the FIS is READ LOG EXT of the NCQ Command Error log, on a disk that has READ LOG EXT. */
    boolean readsNcqErrorLog() {
        return fis.commandUpdate() && fis.command() == ATA_CMD_READ_LOG_EXT && (fis.lba() & 0xff) == ATA_LOG_NCQ_ERROR
                && disk.logs();
    }

    /** The log this READ LOG EXT returns: the device's NCQ Command Error log, or null for a log of zeros. */
    void ncqErrorLog(byte[] log) {
        errorLog = log;
    }

    /** The device refuses the command (ABRT in a D2H Register FIS), for {@code why}. */
    Outcome refused(String why) {
        return Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT, String.format("command 0x%02x refused: %s",
                fis.command(), why));
    }

    /**
     * The NCQ Command Error log (SATA 3.x 13.7.4) after queued command {@code tag} failed with {@code o}: byte 0 the
     * tag (NQ clear), then the shadow registers as they were at the error (2 Status, 3 Error, 4-6 and 8-10 LBA, 7
     * Device, 12-13 Count), and byte 511 the checksum that makes the 512 bytes sum to 0.
     */
    static byte[] ncqErrorLog(int tag, Outcome o) {
        byte[] log = new byte[ATA_SECTOR];
        ByteBuffer b = ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) (tag & 0x1f)).put(2, (byte) o.status()).put(3, (byte) o.error());
        if (o.fis() != null) {
            Fis.putLba(b, o.fis().lba());
            b.put(7, (byte) o.fis().device()).putShort(12, (short) o.fis().count());
        }
        AtaChecksum.seal(log);
        return log;
    }

    /**
     * The device's answer to the transmitted FIS, given the tags it holds in its queue ({@code outstanding}).
     *
     * @return null when it takes the command (a queued one into its queue, a non-queued one to run now), else
     *         how the command ended: a control FIS (§10.4.1), or a refusal with ABRT in a D2H Register FIS
     */
    Outcome accept(int outstanding) {
        if (!fis.commandUpdate()) {
            return Outcome.control(fis, clearBusy);
        }
        if (!queued()) {
            return outstanding == 0 ? null : Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT, String.format(
                    "command 0x%02x is not queued but NCQ tags 0x%08x are outstanding (ATA8-ACS: the command and"
                            + " the queue are aborted)", fis.command(), outstanding));
        }
        if (!ncq) {
            return Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT, "NCQ is off (option ncq=false)");
        }
        if (fis.tag() != slot) {
            return Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT,
                    "NCQ tag " + fis.tag() + " in slot " + slot + ": AHCI uses the slot number as the tag");
        }
        if ((outstanding & 1 << slot) != 0) {
            return Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT, "NCQ tag " + slot + " is outstanding");
        }
        if (!disk.inRange(fis.lba(), fis.queuedSectors())) {
            return outOfRange(fis, fis.queuedSectors());
        }
        return null;
    }

    @Override
    public void run() {
        if (!claimed.compareAndSet(false, true)) {
            return;
        }
        Outcome outcome;
        try {
            outcome = execute();
        } catch (DmaFault e) {
            outcome = Outcome.fatal(Kind.HOST_BUS_FATAL, fis, 0, true, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("port {} slot {}: model failure; reported as a host bus fatal error", port.index, slot, e);
            port.modelFailed();
            outcome = Outcome.fatal(Kind.HOST_BUS_FATAL, fis, 0, true, e.toString());
        }
        port.finish(this, outcome);
    }

    /** Whether the port cut this command off: nothing more may reach memory. */
    boolean cutOff() {
        return port.epoch() != epoch;
    }

    /** The device runs the command it took; a queued one ends with a Set Device Bits FIS (Protocol.NCQ). */
    private Outcome execute() throws DmaFault {
        boolean queued = queued();
        if (injectAbort) {
            return Outcome.deviceError(queued ? Protocol.NCQ : Protocol.DMA, fis, ATA_ERR_ABRT, "failure injected");
        }
        return switch (fis.command()) {
            case ATA_CMD_IDENTIFY_DEVICE -> identify(fis, prdt);
            case ATA_CMD_READ_DMA_EXT -> transfer(fis, prdt, false, fis.sectors(), Protocol.DMA);
            case ATA_CMD_WRITE_DMA_EXT -> transfer(fis, prdt, true, fis.sectors(), Protocol.DMA);
            case ATA_CMD_READ_FPDMA_QUEUED, ATA_CMD_WRITE_FPDMA_QUEUED -> transfer(fis, prdt,
                    fis.command() == ATA_CMD_WRITE_FPDMA_QUEUED, fis.queuedSectors(), Protocol.NCQ);
            case ATA_CMD_FLUSH_CACHE_EXT -> flush(fis);
            case ATA_CMD_READ_LOG_EXT -> readLog(fis, prdt);
            default -> Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT,
                    String.format("command 0x%02x is not supported", fis.command()));
        };
    }

    /** IDENTIFY DEVICE (ATA8-ACS): PIO data-in of one 512-byte block. */
    private Outcome identify(Fis.H2d fis, Prdt prdt) throws DmaFault {
        if (!prdt.toMemory(ByteBuffer.wrap(disk.identify()))) {
            return Outcome.fatal(Kind.OVERFLOW, fis, prdt.moved(), true, "PRD table holds less than 512 bytes");
        }
        return Outcome.done(Protocol.PIO_IN, fis, prdt.moved(), prdt.descriptorInterrupt());
    }

    /**
     * READ LOG EXT (ACS-3): PIO data-in of Count pages of the log at LBA 7:0 from page LBA 15:8 (47:40 high). Two logs
     * are there: the General Purpose Log Directory (00h), which says log 10h has one page, and the NCQ Command Error
     * log (10h). Anything else, or pages past a log's end, is aborted; so is every log without General Purpose
     * Logging (option {@code gpl=false}).
     */
    private Outcome readLog(Fis.H2d fis, Prdt prdt) throws DmaFault {
        if (!disk.logs()) {
            return Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT,
                    "READ LOG EXT without the General Purpose Logging feature set (option gpl=false)");
        }
        int log = (int) (fis.lba() & 0xff);
        int page = (int) (fis.lba() >>> 8 & 0xff | fis.lba() >>> 32 & 0xff00);
        int pages = fis.count();
        byte[] data;
        if (log == 0x00) {
            data = new byte[ATA_SECTOR];
            data[0] = 1; // version 0001h
            data[2 * ATA_LOG_NCQ_ERROR] = 1; // log 10h: one page
        } else if (log == ATA_LOG_NCQ_ERROR) {
            data = errorLog != null ? errorLog : new byte[ATA_SECTOR];
        } else {
            return Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT,
                    String.format("READ LOG EXT of log %02xh, which this disk does not have", log));
        }
        if (pages == 0 || page != 0 || pages > 1) {
            return Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT, String.format(
                    "READ LOG EXT of %d pages from page %d of log %02xh, which has one page", pages, page, log));
        }
        if (!prdt.toMemory(ByteBuffer.wrap(data))) {
            return Outcome.fatal(Kind.OVERFLOW, fis, prdt.moved(), true, "PRD table holds less than 512 bytes");
        }
        return Outcome.done(Protocol.PIO_IN, fis, prdt.moved(), prdt.descriptorInterrupt());
    }

    /**
     * Moves the data between the image and the PRD table's regions: the image's file reads into (or writes from)
     * a checked view of each region, so the data is copied once, by the kernel, as a DMA engine would move it.
     */
    private Outcome transfer(Fis.H2d fis, Prdt prdt, boolean write, int sectors, Protocol protocol)
            throws DmaFault {
        if (!disk.inRange(fis.lba(), sectors)) {
            return outOfRange(fis, sectors);
        }
        long offset = fis.lba() * ATA_SECTOR;
        long bytes = (long) sectors * ATA_SECTOR;
        for (long done = 0; done < bytes;) {
            if (cutOff()) {
                return Outcome.aborted("cut off after " + done + " bytes");
            }
            ByteBuffer region = prdt.window((int) Math.min(CHUNK, bytes - done), !write);
            if (region == null) {
                return shortTable(fis, prdt, bytes);
            }
            int n = region.remaining();
            try {
                if (write) {
                    disk.write(offset + done, region);
                } else {
                    disk.read(offset + done, region);
                }
            } catch (IOException e) {
                LOG.warn("port {}: {} of disk {} at byte {} failed", port.index, write ? "write" : "read", disk,
                        offset + done, e);
                return Outcome.deviceError(protocol, fis, write ? ATA_ERR_ABRT : ATA_ERR_UNC, e.toString());
            }
            done += n;
        }
        return Outcome.done(protocol, fis, prdt.moved(), prdt.descriptorInterrupt());
    }

    private Outcome outOfRange(Fis.H2d fis, int sectors) {
        return Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT, String.format(
                "LBA %d + %d sectors is beyond the disk's %d sectors", fis.lba(), sectors, disk.sectors()));
    }

    private static Outcome shortTable(Fis.H2d fis, Prdt prdt, long bytes) {
        return Outcome.fatal(Kind.OVERFLOW, fis, prdt.moved(), true,
                "PRD table holds " + prdt.moved() + " bytes of the " + bytes + " the command moves");
    }

    /** FLUSH CACHE EXT (ATA8-ACS): what was written reaches the image's storage. */
    private Outcome flush(Fis.H2d fis) {
        try {
            disk.flush();
            return Outcome.done(Protocol.NON_DATA, fis, 0, false);
        } catch (IOException e) {
            LOG.warn("port {}: flush of disk {} failed", port.index, disk, e);
            return Outcome.deviceError(Protocol.NON_DATA, fis, ATA_ERR_ABRT, e.toString());
        }
    }
}
