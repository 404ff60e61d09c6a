package org.devrt.ahci.internal;

import static org.devrt.ahci.internal.Ahci.CH_CFL_MASK;
import static org.devrt.ahci.internal.Ahci.CH_PRDTL_SHIFT;
import static org.devrt.ahci.internal.Ahci.CH_W;
import static org.devrt.ahci.internal.Ahci.COMMAND_HEADER_SIZE;
import static org.devrt.ahci.internal.Ahci.CT_ALIGNMENT;
import static org.devrt.ahci.internal.Ahci.FIS_REG_H2D_C;
import static org.devrt.ahci.internal.Ahci.FIS_TYPE_REG_H2D;
import static org.devrt.ahci.internal.Ahci.PRD_DBC_MASK;
import static org.devrt.ahci.internal.Ahci.PRD_I;
import static org.devrt.ahci.internal.Ahci.PRD_MAX_BYTES;

import java.nio.ByteBuffer;

/**
 * The three structures the driver builds in DMA memory for each command, written into little-endian buffers at
 * absolute offsets (no position is moved, so threads building different slots can share one view):
 * the command header (§4.2.2), the Register Host to Device FIS in the command table (SATA 3.x §10.5.5) and
 * the PRD entries of the PRDT (§4.2.3.3). Arguments the HBA could not honour are refused here, not by the device.
 */
final class CommandEncoding {
    // command header dwords (§4.2.2)
    static final int CH_DW0 = 0x00;
    static final int CH_PRDBC = 0x04;
    static final int CH_CTBA = 0x08;
    static final int CH_CTBAU = 0x0C;

    // Register H2D FIS bytes (SATA 3.x §10.5.5)
    static final int FIS_TYPE = 0;
    static final int FIS_FLAGS = 1;
    static final int FIS_COMMAND = 2;
    static final int FIS_FEATURES = 3;
    static final int FIS_LBA0 = 4;
    static final int FIS_DEVICE = 7;
    static final int FIS_LBA3 = 8;
    static final int FIS_FEATURES_EXP = 11;
    static final int FIS_COUNT = 12;
    static final int FIS_COUNT_EXP = 13;
    static final int FIS_ICC = 14;
    static final int FIS_CONTROL = 15;
    static final int FIS_REG_H2D_BYTES = 20;

    // PRD entry dwords (§4.2.3.3)
    static final int PRD_DBA = 0x00;
    static final int PRD_DBAU = 0x04;
    static final int PRD_RESERVED = 0x08;
    static final int PRD_DW3 = 0x0C;

    static final long LBA48_LIMIT = 1L << 48;

    private CommandEncoding() {
    }

    /**
     * Writes command header {@code slot} of a command list: DW0 (CFL, W, PRDTL), PRDBC cleared to 0 (the HBA
     * counts the bytes it moves into it), CTBA/CTBAU, and the four reserved dwords cleared.
     *
     * @param cflDwords length of the command FIS in dwords, 2 to 16
     * @param write whether data goes from memory to the device (W bit)
     * @param prdtl number of PRD entries, 0 to 65535
     * @param ctba bus address of the command table, 128-byte aligned
     */
    static void header(ByteBuffer list, int slot, int cflDwords, boolean write, int prdtl, long ctba) {
        if (cflDwords < 2 || cflDwords > 16) {
            throw new IllegalArgumentException("CFL " + cflDwords + " must be 2..16 dwords");
        }
        if (prdtl < 0 || prdtl > 0xFFFF) {
            throw new IllegalArgumentException("PRDTL " + prdtl + " must be 0..65535");
        }
        if ((ctba & (CT_ALIGNMENT - 1)) != 0) {
            throw new IllegalArgumentException(String.format("CTBA 0x%x is not 128-byte aligned", ctba));
        }
        int at = slot * COMMAND_HEADER_SIZE;
        int dw0 = (cflDwords & CH_CFL_MASK) | (write ? CH_W : 0) | prdtl << CH_PRDTL_SHIFT;
        list.putInt(at + CH_DW0, dw0);
        list.putInt(at + CH_PRDBC, 0);
        list.putInt(at + CH_CTBA, (int) ctba);
        list.putInt(at + CH_CTBAU, (int) (ctba >>> 32));
        for (int reserved = 0x10; reserved < COMMAND_HEADER_SIZE; reserved += 4) {
            list.putInt(at + reserved, 0);
        }
    }

    /** PRDBC of command header {@code slot}: the bytes the HBA transferred for it. */
    static int prdByteCount(ByteBuffer list, int slot) {
        return list.getInt(slot * COMMAND_HEADER_SIZE + CH_PRDBC);
    }

    /**
     * Writes a Register Host to Device FIS with the C bit set (a new command) at {@code offset}, followed by its
     * reserved bytes cleared.
     *
     * @param lba 48-bit LBA (0 for commands that take none)
     * @param count sector count, 0 to 65535 (0 means 65536 for the EXT commands)
     */
    static void registerH2D(ByteBuffer table, int offset, int command, int device, long lba, int count,
            int features) {
        if (lba < 0 || lba >= LBA48_LIMIT) {
            throw new IllegalArgumentException("LBA " + lba + " does not fit 48 bits");
        }
        if (count < 0 || count > 0xFFFF) {
            throw new IllegalArgumentException("sector count " + count + " must be 0..65535");
        }
        table.put(offset + FIS_TYPE, (byte) FIS_TYPE_REG_H2D);
        table.put(offset + FIS_FLAGS, (byte) FIS_REG_H2D_C);
        table.put(offset + FIS_COMMAND, (byte) command);
        table.put(offset + FIS_FEATURES, (byte) features);
        table.put(offset + FIS_LBA0, (byte) lba);
        table.put(offset + FIS_LBA0 + 1, (byte) (lba >>> 8));
        table.put(offset + FIS_LBA0 + 2, (byte) (lba >>> 16));
        table.put(offset + FIS_DEVICE, (byte) device);
        table.put(offset + FIS_LBA3, (byte) (lba >>> 24));
        table.put(offset + FIS_LBA3 + 1, (byte) (lba >>> 32));
        table.put(offset + FIS_LBA3 + 2, (byte) (lba >>> 40));
        table.put(offset + FIS_FEATURES_EXP, (byte) (features >>> 8));
        table.put(offset + FIS_COUNT, (byte) count);
        table.put(offset + FIS_COUNT_EXP, (byte) (count >>> 8));
        table.put(offset + FIS_ICC, (byte) 0);
        table.put(offset + FIS_CONTROL, (byte) 0);
        table.putInt(offset + 16, 0);
    }

    /**
     * Writes one PRD entry at {@code offset}.
     *
     * @param dba bus address of the data block, word aligned
     * @param bytes length, even, 2 to 4 MiB
     * @param interrupt whether the HBA raises PxIS.DPS when it has moved this block (I bit)
     */
    static void prd(ByteBuffer table, int offset, long dba, int bytes, boolean interrupt) {
        if ((dba & 1) != 0) {
            throw new IllegalArgumentException(String.format("DBA 0x%x is not word aligned", dba));
        }
        if (bytes < 2 || bytes > PRD_MAX_BYTES || (bytes & 1) != 0) {
            throw new IllegalArgumentException("PRD byte count " + bytes + " must be even and 2 bytes..4 MiB");
        }
        table.putInt(offset + PRD_DBA, (int) dba);
        table.putInt(offset + PRD_DBAU, (int) (dba >>> 32));
        table.putInt(offset + PRD_RESERVED, 0);
        table.putInt(offset + PRD_DW3, ((bytes - 1) & PRD_DBC_MASK) | (interrupt ? PRD_I : 0));
    }
}
