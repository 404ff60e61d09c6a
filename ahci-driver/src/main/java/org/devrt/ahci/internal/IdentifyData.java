package org.devrt.ahci.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What a disk says of itself in the 256 words of IDENTIFY DEVICE data (ACS-3 §7.12.7). Strings are ATA strings:
 * two characters per word, the first in the high byte, padded with spaces.
 *
 * @param model words 27-46
 * @param serial words 10-19
 * @param firmware words 23-26
 * @param sectors user-addressable logical sectors, words 100-103 (48-bit)
 * @param sectorSize bytes per logical sector, words 117-118 when word 106 says so, else 512
 * @param queueDepth NCQ queue depth, word 75 bits 4:0 plus one, when word 76 bit 8 says NCQ is supported; else 0
 * @param logs the General Purpose Logging feature set (READ LOG EXT): word 84 bit 5, when word 84 is valid
 */
record IdentifyData(String model, String serial, String firmware, long sectors, int sectorSize, int queueDepth,
        boolean logs) {
    static final int WORDS = 256;
    static final int SERIAL = 10;
    static final int FIRMWARE = 23;
    static final int MODEL = 27;
    /** Word 49 bit 9: LBA supported. */
    static final int CAPABILITIES = 49;
    /** Word 75 bits 4:0: the NCQ queue depth minus one. */
    static final int QUEUE_DEPTH = 75;
    /** Word 76 (Serial ATA capabilities) bit 8: NCQ is supported; 0000h or FFFFh: the word is not reported. */
    static final int SATA_CAPABILITIES = 76;
    static final int SATA_NCQ = 1 << 8;
    /** Word 83 bit 10: the 48-bit Address feature set is supported. */
    static final int COMMAND_SET_2 = 83;
    /** Word 84 (commands and feature sets supported, extension): bits 15:14 = 01 make it valid; bit 5: GPL. */
    static final int COMMAND_SET_EXTENSION = 84;
    static final int GENERAL_PURPOSE_LOGGING = 1 << 5;
    static final int LBA28_SECTORS = 60;
    static final int LBA48_SECTORS = 100;
    /** Word 106: bit 14 set and 15 clear make the word valid; bit 12: logical sector longer than 256 words. */
    static final int SECTOR_SIZES = 106;
    static final int LOGICAL_SECTOR_WORDS = 117;

    /**
     * Decodes the 512 bytes at {@code data}'s position (not moved).
     *
     * @throws IOException if the device is not a disk this driver can address (no LBA, no 48-bit addressing,
     *         or an impossible sector size)
     */
    static IdentifyData parse(ByteBuffer data) throws IOException {
        ByteBuffer le = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = le.position();
        if (le.remaining() < WORDS * 2) {
            throw new IllegalArgumentException("IDENTIFY data is 512 bytes, got " + le.remaining());
        }
        int[] w = new int[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = le.getShort(base + 2 * i) & 0xFFFF;
        }
        String model = string(w, MODEL, 20);
        if ((w[CAPABILITIES] & (1 << 9)) == 0) {
            throw new IOException("disk '" + model + "' does not support LBA addressing (IDENTIFY word 49 bit 9)");
        }
        if ((w[COMMAND_SET_2] & (1 << 10)) == 0) {
            throw new IOException("disk '" + model + "' does not support 48-bit addressing (IDENTIFY word 83 bit 10),"
                    + " which READ/WRITE DMA EXT need");
        }
        long sectors = 0;
        for (int i = 3; i >= 0; i--) {
            sectors = sectors << 16 | w[LBA48_SECTORS + i];
        }
        int sectorSize = 512;
        int sizes = w[SECTOR_SIZES];
        if ((sizes & 0xC000) == 0x4000 && (sizes & (1 << 12)) != 0) {
            long words = (long) w[LOGICAL_SECTOR_WORDS + 1] << 16 | w[LOGICAL_SECTOR_WORDS];
            if (words < 256 || words > (1 << 15) || Long.bitCount(words) != 1) {
                throw new IOException("disk '" + model + "' reports a logical sector of " + words
                        + " words (IDENTIFY words 117-118); want a power of two from 256");
            }
            sectorSize = (int) words * 2;
        }
        int sata = w[SATA_CAPABILITIES];
        int queueDepth = sata != 0xFFFF && (sata & SATA_NCQ) != 0 ? (w[QUEUE_DEPTH] & 0x1F) + 1 : 0;
        int extension = w[COMMAND_SET_EXTENSION];
        boolean logs = (extension & 0xC000) == 0x4000 && (extension & GENERAL_PURPOSE_LOGGING) != 0;
        return new IdentifyData(model, string(w, SERIAL, 10), string(w, FIRMWARE, 4), sectors, sectorSize,
                queueDepth, logs);
    }

    /** An ATA string of {@code words} words from word {@code first}: high byte first, trimmed of spaces. */
    static String string(int[] identify, int first, int words) {
        StringBuilder s = new StringBuilder(words * 2);
        for (int i = first; i < first + words; i++) {
            s.append(printable(identify[i] >>> 8)).append(printable(identify[i] & 0xFF));
        }
        return s.toString().trim();
    }

    private static char printable(int c) {
        return c >= 0x20 && c < 0x7F ? (char) c : c == 0 ? ' ' : '?';
    }

    /** Capacity in bytes. */
    long bytes() {
        return sectors * sectorSize;
    }
}
