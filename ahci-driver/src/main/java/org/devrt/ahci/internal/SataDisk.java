package org.devrt.ahci.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.devrt.device.BlockDevice;

/**
 * A SATA disk on one AHCI port, as a {@link BlockDevice}. A transfer is split into commands of at most one
 * slot's buffer; they are issued back to back in as many slots as are free and collected afterwards, so a
 * large transfer keeps the device busy while data of the previous command is copied. Reads and writes are
 * READ/WRITE FPDMA QUEUED when the port uses NCQ (the HBA says CAP.SNCQ and IDENTIFY word 76 bit 8 does), so that
 * they run together on the device; else READ/WRITE DMA EXT, which the HBA runs one at a time.
 */
final class SataDisk implements BlockDevice {
    private final AhciPort port;
    private final IdentifyData identity;
    private final int blockSize;
    /** Bytes per command: the slot buffer, rounded down to whole blocks. */
    private final int maxBytes;

    /** The disk on {@code port}, which from now on uses NCQ if both the HBA and {@code identity} allow it. */
    SataDisk(AhciPort port, IdentifyData identity, int slotCapacity) {
        this.port = port;
        this.identity = identity;
        this.blockSize = identity.sectorSize();
        this.maxBytes = slotCapacity / blockSize * blockSize;
        if (maxBytes == 0) {
            throw new IllegalArgumentException("a " + slotCapacity + "-byte slot buffer cannot hold one "
                    + blockSize + "-byte block");
        }
        port.enableQueuing(identity.queueDepth());
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
                int n = Math.min(maxBytes, bytes - done);
                try {
                    if (write) {
                        slot.copyIn(buffer, start + done, n);
                    }
                    slot.bufferOffset = start + done;
                    slot.build(command, Ahci.ATA_DEVICE_LBA, lba + done / blockSize, n / blockSize, n, write);
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
        }
        if (failure != null) {
            throw failure;
        }
        buffer.position(start + bytes);
    }

    /** Waits for one issued slot, copies its data out for a read, releases it; keeps the first failure. */
    private IOException collect(CommandSlot slot, boolean write, ByteBuffer buffer, IOException failure) {
        try {
            port.await(slot);
            if (failure != null) {
                return failure;
            }
            if (slot.transferred() != slot.bytes()) {
                return new IOException(port.name + ": " + slot.describe() + " moved " + slot.transferred()
                        + " bytes (PRDBC), expected " + slot.bytes());
            }
            if (!write) {
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
