package org.devrt.vfs.internal.partition;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A view over a 512-byte Master Boot Record or Extended Boot Record: four 16-byte partition entries at 0x1BE and
 * the signature 0x55 0xAA at 0x1FE. Offsets are named as in the classic PC layout.
 */
final class Mbr {
    static final int SECTOR = 512;
    /** The disk signature (Windows' disk identifier; Linux's PARTUUID is it and the partition's number). */
    static final int DISK_SIGNATURE = 0x1B8;
    static final int PARTITION_TABLE = 0x1BE;
    static final int ENTRY_SIZE = 16;
    static final int SIGNATURE = 0x1FE;
    static final int SIGNATURE_VALUE = 0xAA55;
    // entry fields
    static final int BOOT_INDICATOR = 0;
    static final int SYSTEM_ID = 4;
    static final int STARTING_LBA = 8;
    static final int SIZE_IN_LBA = 12;

    static final int TYPE_EMPTY = 0x00;
    static final int TYPE_GPT_PROTECTIVE = 0xEE;

    private final ByteBuffer sector;

    Mbr(ByteBuffer sector) {
        if (sector.remaining() < SECTOR) {
            throw new IllegalArgumentException("an MBR needs " + SECTOR + " bytes, got " + sector.remaining());
        }
        this.sector = sector.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    boolean hasSignature() {
        return (sector.getShort(SIGNATURE) & 0xFFFF) == SIGNATURE_VALUE;
    }

    /** Linux's test that this is a partition table at all: every boot indicator is 0x00 or 0x80. */
    boolean bootIndicatorsValid() {
        for (int i = 0; i < 4; i++) {
            int b = sector.get(PARTITION_TABLE + i * ENTRY_SIZE + BOOT_INDICATOR) & 0xFF;
            if (b != 0x00 && b != 0x80) {
                return false;
            }
        }
        return true;
    }

    int type(int slot) {
        return sector.get(entry(slot) + SYSTEM_ID) & 0xFF;
    }

    long start(int slot) {
        return Integer.toUnsignedLong(sector.getInt(entry(slot) + STARTING_LBA));
    }

    long size(int slot) {
        return Integer.toUnsignedLong(sector.getInt(entry(slot) + SIZE_IN_LBA));
    }

    boolean isEmpty(int slot) {
        return type(slot) == TYPE_EMPTY || size(slot) == 0;
    }

    static boolean isExtended(int type) {
        return type == 0x05 || type == 0x0F || type == 0x85;
    }

    static String typeName(int type) {
        return String.format("0x%02x", type);
    }

    private static int entry(int slot) {
        if (slot < 0 || slot > 3) {
            throw new IllegalArgumentException("MBR slot (" + slot + ") must be 0..3");
        }
        return PARTITION_TABLE + slot * ENTRY_SIZE;
    }

    /** Writes one entry (boot indicator 0, CHS fields left zero: LBA only). For tests and tools. */
    static void putEntry(ByteBuffer sector, int slot, int type, long start, long size) {
        ByteBuffer b = sector.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int at = entry(slot);
        b.put(at + BOOT_INDICATOR, (byte) 0);
        b.put(at + SYSTEM_ID, (byte) type);
        b.putInt(at + STARTING_LBA, (int) start);
        b.putInt(at + SIZE_IN_LBA, (int) size);
        b.putShort(SIGNATURE, (short) SIGNATURE_VALUE);
    }
}
