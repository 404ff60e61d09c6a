package org.devrt.ahci.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceGoneException;
import org.devrt.hw.DmaMemory;
import org.devrt.hw.DmaRegion;
import org.devrt.hw.HandleRevokedException;

/**
 * A SATA disk on one AHCI port, as a {@link BlockDevice}. A caller's direct buffer of at least {@link #COPYBREAK}
 * bytes is mapped for the device ({@link DmaMemory#map}) for the length of the call, and the commands' PRDs point
 * into it: data moves between the medium and the caller's memory with no copy, in commands of up to
 * {@link #MAPPED_COMMAND_BYTES}. Other buffers go through the slots' own buffers, in commands of at most one slot's
 * buffer. Either way the commands are issued back to back in as many slots as are free and collected afterwards, so
 * a large transfer keeps the device busy while data of the previous command is copied. Reads and writes are
 * READ/WRITE FPDMA QUEUED when the port uses NCQ (the HBA says CAP.SNCQ and IDENTIFY word 76 bit 8 does), so that
 * they run together on the device; else READ/WRITE DMA EXT, which the HBA runs one at a time.
 */
final class SataDisk implements BlockDevice {
    /** Largest command on a mapped buffer: one PRD (§4.2.3.3: DBC holds at most 4 MiB). */
    static final int MAPPED_COMMAND_BYTES = Ahci.PRD_MAX_BYTES;

    /**
     * Smallest transfer whose buffer is mapped rather than copied: below it, copying through a slot buffer costs less
     * than making and removing a mapping (as a NIC driver's rx_copybreak). Measured at queue depth 32 on the emulated
     * HBA: 4 KiB reads copied run about 5% faster than mapped; 1 MiB reads mapped run 1.6 times as fast as copied.
     */
    static final int COPYBREAK = 16 << 10;

    private final AhciPort port;
    private final DmaMemory dma;
    private final IdentifyData identity;
    private final int blockSize;
    /** Bytes per command: the slot buffer, rounded down to whole blocks. */
    private final int maxBytes;
    /** Bytes per command on a mapped buffer, rounded down to whole blocks. */
    private final int maxMappedBytes;
    /** CAP.S64A: a mapped buffer above 4 GiB is reachable. */
    private final boolean addressesAbove4GiB;

    /**
     * The disk on {@code port}, which from now on uses NCQ if both the HBA and {@code identity} allow it; callers'
     * direct buffers are mapped through {@code dma}.
     *
     * @param addressesAbove4GiB the HBA's CAP.S64A: whether a PRD may point above 4 GiB
     */
    SataDisk(AhciPort port, DmaMemory dma, IdentifyData identity, int slotCapacity, boolean addressesAbove4GiB) {
        this.addressesAbove4GiB = addressesAbove4GiB;
        this.port = port;
        this.dma = dma;
        this.identity = identity;
        this.blockSize = identity.sectorSize();
        this.maxBytes = slotCapacity / blockSize * blockSize;
        if (maxBytes == 0) {
            throw new IllegalArgumentException("a " + slotCapacity + "-byte slot buffer cannot hold one "
                    + blockSize + "-byte block");
        }
        // ATA's 16-bit sector count (0 meaning 65536) bounds a READ/WRITE (FPDMA QUEUED or DMA EXT) command
        this.maxMappedBytes = (int) Math.min(MAPPED_COMMAND_BYTES, 65536L * blockSize) / blockSize * blockSize;
        port.enableQueuing(identity.queueDepth(), identity.logs());
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return identity.sectors();
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String model() {
        return identity.model();
    }

    @Override
    public String serial() {
        return identity.serial();
    }

    AhciPort port() {
        return port;
    }

    IdentifyData identity() {
        return identity;
    }

    @Override
    public void read(long lba, ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        transfer(false, lba, dst);
    }

    @Override
    public void write(long lba, ByteBuffer src) throws IOException {
        transfer(true, lba, src);
    }

    /** FLUSH CACHE EXT, non-queued: with NCQ it waits for the queued commands in flight to complete. */
    @Override
    public void flush() throws IOException {
        CommandSlot slot = port.acquire(true);
        try {
            slot.build(Ahci.ATA_CMD_FLUSH_CACHE_EXT, Ahci.ATA_DEVICE_LBA, 0, 0, 0, false);
            port.issue(slot);
            port.await(slot);
        } finally {
            port.release(slot);
        }
    }

    private void transfer(boolean write, long lba, ByteBuffer buffer) throws IOException {
        int bytes = buffer.remaining();
        if (bytes % blockSize != 0) {
            throw new IllegalArgumentException(bytes + " bytes is not a whole number of " + blockSize + "-byte blocks");
        }
        long blocks = bytes / blockSize;
        if (lba < 0 || lba > identity.sectors() - blocks) {
            throw new IllegalArgumentException("blocks " + lba + ".." + (lba + blocks - 1) + " are outside the disk's "
                    + identity.sectors() + " blocks");
        }
        int start = buffer.position();
        int command = port.queuing() ? write ? Ahci.ATA_CMD_WRITE_FPDMA_QUEUED : Ahci.ATA_CMD_READ_FPDMA_QUEUED
                : write ? Ahci.ATA_CMD_WRITE_DMA_EXT : Ahci.ATA_CMD_READ_DMA_EXT;
        DmaRegion mapping = bytes == 0 ? null : map(buffer, !write);
        int perCommand = mapping != null ? maxMappedBytes : maxBytes;
        int mine = 0; // slots issued by this call and not collected yet
        IOException failure = null;
        try {
            for (int done = 0; done < bytes && failure == null;) {
                // Wait for a slot only while holding none: two callers holding slots must never wait for each other.
                CommandSlot slot = port.acquire(mine == 0);
                if (slot == null) {
                    int oldest = Integer.numberOfTrailingZeros(mine);
                    mine &= ~(1 << oldest);
                    failure = collect(port.slot(oldest), write, buffer, failure);
                    continue;
                }
                int n = Math.min(perCommand, bytes - done);
                try {
                    long at = lba + done / blockSize;
                    slot.bufferOffset = start + done;
                    slot.mapped = mapping != null;
                    if (mapping != null) {
                        slot.buildMapped(command, Ahci.ATA_DEVICE_LBA, at, n / blockSize, n, write,
                                mapping.physicalAddress() + done);
                    } else {
                        if (write) {
                            slot.copyIn(buffer, start + done, n);
                        }
                        slot.build(command, Ahci.ATA_DEVICE_LBA, at, n / blockSize, n, write);
                    }
                    port.issue(slot);
                } catch (IOException | RuntimeException e) {
                    port.release(slot);
                    throw e;
                }
                mine |= slot.bit;
                done += n;
            }
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        } finally {
            while (mine != 0) {
                int next = Integer.numberOfTrailingZeros(mine);
                mine &= ~(1 << next);
                failure = collect(port.slot(next), write, buffer, failure);
            }
            if (mapping != null) {
                mapping.close(); // every slot is settled: the HBA is done with the buffer
            }
        }
        if (failure != null) {
            throw failure;
        }
        buffer.position(start + bytes);
    }

    /**
     * {@code buffer}'s remaining bytes mapped for the device, or null when they must go through the slot buffers (a
     * heap buffer, or DMA memory that maps nothing).
     */
    private DmaRegion map(ByteBuffer buffer, boolean deviceWrites) throws DeviceGoneException {
        if (!buffer.isDirect() || buffer.remaining() < COPYBREAK) {
            return null;
        }
        DmaRegion mapping;
        try {
            mapping = dma.map(buffer, deviceWrites);
        } catch (HandleRevokedException e) {
            throw new DeviceGoneException(port.name + ": the device was removed (" + e.getMessage() + ")");
        }
        if (!prdCanPointAt(mapping.physicalAddress(), buffer.remaining(), addressesAbove4GiB)) {
            mapping.close(); // through the slot buffers, which the controller placed where the HBA reaches
            return null;
        }
        return mapping;
    }

    /**
     * Whether a PRD can describe {@code length} bytes at {@code address}: word-aligned (AHCI §4.2.3.3, DBA bit 0 is
     * reserved), and below 4 GiB unless the HBA has CAP.S64A. A mapped buffer that is not went out truncated (DBAU
     * dropped) or failed the request; it goes through the slot buffers instead.
     */
    static boolean prdCanPointAt(long address, long length, boolean addressesAbove4GiB) {
        return (address & 1) == 0 && (addressesAbove4GiB || ((address + length - 1) >>> 32) == 0);
    }

    /** Waits for one issued slot, copies its data out for a read, releases it; keeps the first failure. */
    private IOException collect(CommandSlot slot, boolean write, ByteBuffer buffer, IOException failure) {
        try {
            port.await(slot);
            if (failure != null) {
                return failure;
            }
            // PRDBC is not defined for FPDMA QUEUED (AHCI 1.3.1 §5.4.1): an HBA need not update it (FreeBSD's
            // ahci(4) skips this check for them). Some HBAs never update it for any command (FreeBSD's
            // AHCI_Q_NOCOUNT: Marvell 88SE6121/6141/6145): a count left at 0 says nothing, and failing on it failed
            // every read and write on such silicon; a count the HBA did write and that falls short is an underrun
            if (!slot.queued() && slot.transferred() != 0 && slot.transferred() != slot.bytes()) {
                return new IOException(port.name + ": " + slot.describe() + " moved " + slot.transferred()
                        + " bytes (PRDBC), expected " + slot.bytes());
            }
            if (!write && !slot.mapped) {
                slot.copyOut(buffer, slot.bufferOffset, slot.bytes());
            }
            return null;
        } catch (IOException e) {
            return failure == null ? e : failure;
        } finally {
            port.release(slot);
        }
    }
}
