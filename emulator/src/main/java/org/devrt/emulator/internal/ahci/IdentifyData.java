package org.devrt.emulator.internal.ahci;

import java.util.Objects;

/**
 * The 256 words of IDENTIFY DEVICE data (ATA8-ACS) for a SATA disk with 512-byte logical sectors, 48-bit
 * addressing, FLUSH CACHE EXT and optionally NCQ. Words are little-endian; ATA strings hold two characters a word,
 * the first in the high byte ("byte-swapped"), padded with spaces.
 */
final class IdentifyData {
    static final int WORDS = 256;
    static final int SERIAL = 10;
    static final int SERIAL_WORDS = 10;
    static final int FIRMWARE = 23;
    static final int FIRMWARE_WORDS = 4;
    static final int MODEL = 27;
    static final int MODEL_WORDS = 20;
    static final int QUEUE_DEPTH = 75;
    static final int SATA_CAPABILITIES = 76;
    static final int COMMAND_SET_SUPPORTED_2 = 83;
    static final int COMMAND_SET_ENABLED_2 = 86;
    static final int MAX_LBA_48 = 100;
    static final int SECTOR_SIZE = 106;
    static final int INTEGRITY = 255;

    /** The strings a disk reports; each is printable ASCII and fits its field (20, 8 and 40 characters). */
    record Strings(String serial, String firmware, String model) {
        Strings {
            check("serial", serial, 2 * SERIAL_WORDS);
            check("firmware", firmware, 2 * FIRMWARE_WORDS);
            check("model", model, 2 * MODEL_WORDS);
        }

        private static void check(String what, String value, int max) {
            Objects.requireNonNull(value, what);
            if (value.length() > max || !value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
                throw new IllegalArgumentException(
                        what + " '" + value + "' must be at most " + max + " printable ASCII characters");
            }
        }
    }

    private IdentifyData() {
    }

    /** @param logs the General Purpose Logging feature set: READ LOG EXT, and with NCQ its NCQ Command Error log */
    static byte[] build(long sectors, Strings strings, boolean ncq, boolean logs) {
        int[] w = new int[WORDS];
        w[0] = 0x0040; // bit 15 clear: ATA device; bit 6: fixed (obsolete, still set by disks)
        long cylinders = Math.min(sectors / (16 * 63), 16383);
        w[1] = (int) cylinders;
        w[3] = 16;
        w[6] = 63;
        putString(w, SERIAL, SERIAL_WORDS, strings.serial());
        putString(w, FIRMWARE, FIRMWARE_WORDS, strings.firmware());
        putString(w, MODEL, MODEL_WORDS, strings.model());
        w[47] = 0x8000; // READ/WRITE MULTIPLE: not supported (0 sectors per DRQ block)
        w[49] = 1 << 9 | 1 << 8; // LBA supported, DMA supported
        w[50] = 0x4000;
        w[53] = 0x0006; // words 64-70 and 88 are valid
        long lba28 = Math.min(sectors, 0x0fff_ffff);
        w[60] = (int) (lba28 & 0xffff);
        w[61] = (int) (lba28 >>> 16);
        w[63] = 0x0007; // multiword DMA modes 0-2 supported
        w[64] = 0x0003; // PIO modes 3 and 4
        w[65] = w[66] = w[67] = w[68] = 120;
        if (ncq) {
            w[QUEUE_DEPTH] = 31; // queue depth 32, minus one
        }
        w[SATA_CAPABILITIES] = 1 << 2 | 1 << 1 | (ncq ? 1 << 8 : 0); // Gen2, Gen1, NCQ
        w[80] = 0x01f0; // ATA8-ACS, ATA/ATAPI-7, -6, -5, -4
        w[82] = 1 << 5; // volatile write cache
        w[COMMAND_SET_SUPPORTED_2] = 0x4000 | 1 << 13 | 1 << 10; // FLUSH CACHE EXT, 48-bit Address
        w[84] = 0x4000 | (logs ? 1 << 5 : 0); // bit 5: the General Purpose Logging feature set (READ LOG EXT)
        w[85] = 1 << 5;
        w[COMMAND_SET_ENABLED_2] = 1 << 13 | 1 << 10;
        w[87] = 0x4000 | (logs ? 1 << 5 : 0);
        w[88] = 0x007f | 1 << 14; // UDMA modes 0-6 supported, mode 6 selected
        for (int i = 0; i < 4; i++) {
            w[MAX_LBA_48 + i] = (int) (sectors >>> 16 * i) & 0xffff;
        }
        w[SECTOR_SIZE] = 0x4000; // one 256-word logical sector per physical sector
        w[217] = 1; // nominal media rotation rate: non-rotating
        byte[] out = new byte[2 * WORDS];
        for (int i = 0; i < WORDS; i++) {
            out[2 * i] = (byte) w[i];
            out[2 * i + 1] = (byte) (w[i] >>> 8);
        }
        out[2 * INTEGRITY] = (byte) 0xa5; // word 255, integrity: signature A5h, then a checksum that makes the sum 0
        AtaChecksum.seal(out);
        return out;
    }

    private static void putString(int[] words, int first, int count, String text) {
        String padded = String.format("%-" + 2 * count + "s", text);
        for (int i = 0; i < count; i++) {
            words[first + i] = padded.charAt(2 * i) << 8 | padded.charAt(2 * i + 1);
        }
    }

    /** Reads an ATA string back, without its padding (for tests and logs). */
    static String string(byte[] data, int first, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = first; i < first + count; i++) {
            out.append((char) (data[2 * i + 1] & 0xff)).append((char) (data[2 * i] & 0xff));
        }
        return out.toString().stripTrailing();
    }
}
