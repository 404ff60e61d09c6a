package org.devrt.ahci.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;


/**
 * One command slot of a port (§4.2.2): its header in the command list, its command table, and its data buffer,
 * pre-allocated once and reused by every command that runs in the slot.
 *
 * <p>The data buffer is a bounce buffer made of page-aligned segments that lie apart in memory, so a command's data
 * is scattered and its PRDT has one entry per segment it uses. A command whose caller's buffer is mapped for the
 * device does not use it: its PRDs point into the mapping.
 *
 * <p>Ownership, which the port enforces under its lock: a FREE slot belongs to the allocator; acquiring makes it
 * OWNED by one request thread, which alone writes the header, table and buffer; issuing (the PxCI doorbell) hands
 * all three to the HBA (ISSUED) until the port sees the slot's PxCI bit clear while the engine runs (DONE), or
 * the engine was stopped with the command still in it (FAILED, settled only once PxCMD.CR is clear); then the
 * request thread owns it again, copies data out and releases it.
 */
final class CommandSlot {
    enum State {
        FREE, OWNED, ISSUED, DONE, FAILED
    }

    final int index;
    final int bit;
    private final ByteBuffer commandList;
    private final ByteBuffer table;
    private final int tableOffset;
    private final long tableAddress;
    private final long[] segmentAddress;
    private final ByteBuffer[] segment;
    private final int segmentSize;
    /** Signalled, under the port lock, when the slot leaves ISSUED or the port changes state. */
    final Condition done;

    // The command: written by the owning thread before it issues the slot (or by a recovery, under the port lock,
    // while the HBA does not own the slot).
    private int command;
    private int device;
    private long lba;
    private int count;
    private int bytes;
    /** Where this slot's data sits in the caller's buffer. */
    int bufferOffset;
    /** Whether the command moves its data from or to the caller's mapped buffer, not the slot's. */
    boolean mapped;

    // Guarded by the port lock.
    State state = State.FREE;
    IOException error;
    long deadline;
    /** This command's time-out: the port's when it was issued, or a shorter one (IDENTIFY at attach). */
    long timeoutNanos;
    int attempts;

    /**
     * @param commandList view of the port's command list (shared: each slot writes its own header only)
     * @param table view of the region holding the command tables (shared likewise)
     * @param segmentAddress bus addresses of the data buffer's segments, each {@code segmentSize} bytes
     * @param segment little-endian views of the same segments, each starting at index 0
     */
    CommandSlot(int index, ByteBuffer commandList, ByteBuffer table, int tableOffset, long tableAddress,
            long[] segmentAddress, ByteBuffer[] segment, int segmentSize, Condition done) {
        if (segmentAddress.length != segment.length) {
            throw new IllegalArgumentException(segmentAddress.length + " segment addresses for " + segment.length
                    + " segment views");
        }
        this.index = index;
        this.bit = 1 << index;
        this.commandList = commandList;
        this.table = table;
        this.tableOffset = tableOffset;
        this.tableAddress = tableAddress;
        this.segmentSize = segmentSize;
        this.segmentAddress = segmentAddress.clone();
        this.segment = segment.clone();
        this.done = done;
    }

    /** Bytes one command can move through this slot. */
    int capacity() {
        return segment.length * segmentSize;
    }

    /**
     * Builds the command: the Register H2D FIS (CFIS), one PRD per segment of the slot's buffer the data needs, and
     * the command header that points at them. The data must already be in the buffer for a write. For READ/WRITE
     * FPDMA QUEUED the sector count goes in FEATURES and the tag (this slot) in COUNT bits 7:3 (ACS-3).
     */
    void build(int command, int device, long lba, int count, int bytes, boolean write) {
        if (bytes < 0 || bytes > capacity()) {
            throw new IllegalArgumentException("transfer of " + bytes + " bytes does not fit the slot's "
                    + capacity() + "-byte buffer");
        }
        setCommand(command, device, lba, count, bytes);
        int prds = 0;
        for (int at = 0; at < bytes; at += segmentSize, prds++) {
            int n = Math.min(segmentSize, bytes - at);
            CommandEncoding.prd(table, tableOffset + Ahci.CT_PRDT + prds * Ahci.PRD_SIZE, segmentAddress[prds], n,
                    false);
        }
        CommandEncoding.header(commandList, index, Ahci.FIS_REG_H2D_DWORDS, write, prds, tableAddress);
    }

    /**
     * Builds the command as {@link #build} does, for data at bus address {@code address} instead of the slot's
     * buffer (a caller's buffer mapped for the device): one PRD per 4 MiB, at most {@link #mappedCapacity()} bytes.
     */
    void buildMapped(int command, int device, long lba, int count, int bytes, boolean write, long address) {
        if (bytes < 0 || bytes > mappedCapacity()) {
            throw new IllegalArgumentException("transfer of " + bytes + " bytes needs more than the slot's "
                    + segment.length + " PRDs");
        }
        setCommand(command, device, lba, count, bytes);
        int prds = 0;
        for (int at = 0; at < bytes; at += Ahci.PRD_MAX_BYTES, prds++) {
            int n = Math.min(Ahci.PRD_MAX_BYTES, bytes - at);
            CommandEncoding.prd(table, tableOffset + Ahci.CT_PRDT + prds * Ahci.PRD_SIZE, address + at, n, false);
        }
        CommandEncoding.header(commandList, index, Ahci.FIS_REG_H2D_DWORDS, write, prds, tableAddress);
    }

    /** Bytes one command can move from or to mapped memory: as many full PRDs as the command table has room for. */
    int mappedCapacity() {
        return segment.length * Ahci.PRD_MAX_BYTES;
    }

    private void setCommand(int command, int device, long lba, int count, int bytes) {
        this.command = command;
        this.device = device;
        this.lba = lba;
        this.count = count;
        this.bytes = bytes;
        writeFis();
    }

    private void writeFis() {
        int at = tableOffset + Ahci.CT_CFIS;
        if (queued()) {
            CommandEncoding.registerH2D(table, at, command, device, lba, index << Ahci.NCQ_TAG_SHIFT, count);
        } else {
            CommandEncoding.registerH2D(table, at, command, device, lba, count, 0);
        }
    }

    /** Whether the command is READ or WRITE FPDMA QUEUED: the port sets PxSACT for it and it ends in PxSACT. */
    boolean queued() {
        return command == Ahci.ATA_CMD_READ_FPDMA_QUEUED || command == Ahci.ATA_CMD_WRITE_FPDMA_QUEUED;
    }

    /**
     * Turns a queued command into the same transfer as READ/WRITE DMA EXT, for a retry after an NCQ error: run
     * alone, a command that fails again is known to be the one that failed. Header and PRDT stay as they are.
     */
    void unqueue() {
        if (queued()) {
            command = command == Ahci.ATA_CMD_READ_FPDMA_QUEUED ? Ahci.ATA_CMD_READ_DMA_EXT
                    : Ahci.ATA_CMD_WRITE_DMA_EXT;
            writeFis();
        }
    }

    /** Copies {@code length} bytes at {@code offset} of {@code src} (absolute; position untouched) into the buffer. */
    void copyIn(ByteBuffer src, int offset, int length) {
        for (int i = 0, at = 0; at < length; i++, at += segmentSize) {
            segment[i].put(0, src, offset + at, Math.min(segmentSize, length - at));
        }
    }

    /** Copies the first {@code length} bytes of the buffer to {@code dst} at {@code offset} (absolute). */
    void copyOut(ByteBuffer dst, int offset, int length) {
        for (int i = 0, at = 0; at < length; i++, at += segmentSize) {
            dst.put(offset + at, segment[i], 0, Math.min(segmentSize, length - at));
        }
    }

    /** PRDBC: the bytes the HBA moved for the last command (§4.2.2 DW1). */
    int transferred() {
        return CommandEncoding.prdByteCount(commandList, index);
    }

    /** Clears PRDBC before the command is issued again after a recovery. */
    void clearTransferred() {
        commandList.putInt(index * Ahci.COMMAND_HEADER_SIZE + CommandEncoding.CH_PRDBC, 0);
    }

    /** Bytes the last command moves. */
    int bytes() {
        return bytes;
    }

    /** E.g. {@code READ DMA EXT lba 2048 count 256 (slot 3)}. */
    String describe() {
        return switch (command) {
            case Ahci.ATA_CMD_READ_DMA_EXT, Ahci.ATA_CMD_WRITE_DMA_EXT, Ahci.ATA_CMD_READ_FPDMA_QUEUED,
                    Ahci.ATA_CMD_WRITE_FPDMA_QUEUED -> Ahci.commandName(command) + " lba " + lba + " count " + count
                            + " (slot " + index + ")";
            default -> Ahci.commandName(command) + " (slot " + index + ")";
        };
    }
}
