package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.PRD_DBA;
import static org.devrt.emulator.internal.ahci.AhciRegs.PRD_DBAU;
import static org.devrt.emulator.internal.ahci.AhciRegs.PRD_DBC_MASK;
import static org.devrt.emulator.internal.ahci.AhciRegs.PRD_DW3;
import static org.devrt.emulator.internal.ahci.AhciRegs.PRD_I;
import static org.devrt.emulator.internal.ahci.AhciRegs.PRD_SIZE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.devrt.emulator.internal.model.DmaFault;
import org.devrt.emulator.internal.model.ModelHost;

/**
 * A command's physical region descriptor table (AHCI 1.3.1 §4.2.3.3), walked as the data moves, as an HBA's DMA
 * engine does: entries are fetched a batch at a time and only as far as the data goes, so a PRDTL of 65535 costs
 * nothing until it is used. Each entry is DBA (bit 0 reserved: word aligned), DBAU, and DW3 with DBC in bits 21:0,
 * the byte count minus one, whose bit 0 "must always be 1": the HBA moves words, so an even DBC (odd count) moves
 * one byte more, as hardware would. An entry is at most 4 MiB. Data moves either by copy ({@link #toMemory},
 * {@link #fromMemory}) or through a checked view of a region ({@link #window}), which lets the disk's file read
 * straight into the driver's buffer. Not thread-safe: the thread that runs the command owns it.
 */
final class Prdt {
    /** Entries fetched in one DMA read, at most: 1 KiB. */
    private static final int BATCH = 64;

    private final ModelHost host;
    private final long table;
    private final int entries;
    /** Allocated on first use, no larger than the table. */
    private ByteBuffer batch;
    private int batchFirst;
    private int batchCount;
    private int index = -1;
    private long address;
    private int left;
    private boolean interrupt;
    private long moved;
    private boolean interruptDone;

    /** The table of {@code entries} (PRDTL, 0..65535) entries at bus address {@code table}. */
    Prdt(ModelHost host, long table, int entries) {
        this.host = host;
        this.table = table;
        this.entries = entries;
    }

    /**
     * Device to memory: writes all of {@code data} into the regions, in table order.
     *
     * @return false if the table ended first (the data that fitted was moved)
     * @throws DmaFault if the table or a region is not memory the HBA may reach
     */
    boolean toMemory(ByteBuffer data) throws DmaFault {
        return move(data, true);
    }

    /** Memory to device: fills all of {@code data} from the regions; false if the table ended first. */
    boolean fromMemory(ByteBuffer data) throws DmaFault {
        return move(data, false);
    }

    /**
     * A view of the next at most {@code max} bytes of the regions, within one entry, counted as moved: the caller
     * moves the data of all of it.
     *
     * @param toMemory whether the device writes the region (device to memory) or reads it
     * @return the view, or null if the table has ended
     * @throws DmaFault if the table or the region is not memory the HBA may reach
     */
    ByteBuffer window(int max, boolean toMemory) throws DmaFault {
        if (left == 0 && !next()) {
            return null;
        }
        int n = Math.min(left, max);
        ByteBuffer view = host.dmaWindow(address, n, toMemory);
        advance(n);
        return view;
    }

    /** Bytes moved so far: what PRDBC reports. */
    long moved() {
        return moved;
    }

    /** Whether an entry with the I bit set was used up (§4.2.3.3: the HBA then sets PxIS.DPS). */
    boolean descriptorInterrupt() {
        return interruptDone;
    }

    private boolean move(ByteBuffer data, boolean toMemory) throws DmaFault {
        while (data.hasRemaining()) {
            if (left == 0 && !next()) {
                return false;
            }
            int n = Math.min(left, data.remaining());
            ByteBuffer part = data.slice(data.position(), n);
            if (toMemory) {
                host.dmaWrite(address, part);
            } else {
                host.dmaRead(address, part);
            }
            data.position(data.position() + n);
            advance(n);
        }
        return true;
    }

    private void advance(int n) {
        address += n;
        left -= n;
        moved += n;
        if (left == 0 && interrupt) {
            interruptDone = true;
        }
    }

    private boolean next() throws DmaFault {
        if (index + 1 >= entries) {
            return false;
        }
        index++;
        if (index >= batchFirst + batchCount) {
            batchFirst = index;
            batchCount = Math.min(BATCH, entries - index);
            if (batch == null) {
                batch = ByteBuffer.allocate(batchCount * PRD_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            }
            batch.clear().limit(batchCount * PRD_SIZE);
            host.dmaRead(table + (long) index * PRD_SIZE, batch);
        }
        int at = (index - batchFirst) * PRD_SIZE;
        address = (batch.getInt(at + PRD_DBA) & 0xffff_fffeL) | (batch.getInt(at + PRD_DBAU) & 0xffff_ffffL) << 32;
        int dw3 = batch.getInt(at + PRD_DW3);
        left = ((dw3 & PRD_DBC_MASK) | 1) + 1;
        interrupt = (dw3 & PRD_I) != 0;
        return true;
    }
}
