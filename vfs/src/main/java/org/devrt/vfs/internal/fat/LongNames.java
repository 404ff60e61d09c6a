package org.devrt.vfs.internal.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * VFAT long-name entries (FAT spec, section 7): a name of up to 255 UTF-16 units in 13-unit pieces, stored last
 * piece first, each entry carrying the checksum of the short name it belongs to.
 */
final class LongNames {
    static final int LDIR_ORD = 0;
    static final int LDIR_NAME1 = 1;
    static final int LDIR_ATTR = 11;
    static final int LDIR_TYPE = 12;
    static final int LDIR_CHKSUM = 13;
    static final int LDIR_NAME2 = 14;
    static final int LDIR_FST_CLUS_LO = 26;
    static final int LDIR_NAME3 = 28;
    static final int LAST_LONG_ENTRY = 0x40;
    static final int CHARS_PER_ENTRY = 13;
    static final int MAX_LENGTH = 255;
    private static final int[] CHAR_OFFSETS = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

    private LongNames() {
    }

    /** The checksum of an 11-byte short name that ties its long-name entries to it. */
    static int checksum(byte[] name11) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) + ((sum & 0xFF) >> 1) + (name11[i] & 0xFF)) & 0xFF;
        }
        return sum;
    }

    static int entriesFor(String name) {
        return (name.length() + CHARS_PER_ENTRY - 1) / CHARS_PER_ENTRY;
    }

    /** The long-name entries for {@code name}, in the order they are stored (the last piece first). */
    static byte[][] encode(String name, byte[] shortName11) {
        int n = entriesFor(name);
        int sum = checksum(shortName11);
        byte[][] out = new byte[n][];
        for (int piece = 0; piece < n; piece++) {
            ByteBuffer e = ByteBuffer.allocate(DirEntry.SIZE).order(ByteOrder.LITTLE_ENDIAN);
            e.put(LDIR_ORD, (byte) ((piece + 1) | (piece == n - 1 ? LAST_LONG_ENTRY : 0)));
            e.put(LDIR_ATTR, (byte) DirEntry.ATTR_LONG_NAME);
            e.put(LDIR_CHKSUM, (byte) sum);
            for (int i = 0; i < CHARS_PER_ENTRY; i++) {
                int at = piece * CHARS_PER_ENTRY + i;
                char c = at < name.length() ? name.charAt(at) : at == name.length() ? 0 : (char) 0xFFFF;
                e.putChar(CHAR_OFFSETS[i], c);
            }
            out[n - 1 - piece] = e.array();
        }
        return out;
    }

    static boolean isLongNameEntry(byte[] raw, int at) {
        return ((raw[at + DirEntry.DIR_ATTR] & DirEntry.ATTR_LONG_NAME_MASK)) == DirEntry.ATTR_LONG_NAME;
    }

    /** Reads the 13 units of one entry; a 0 ends the name. */
    static void appendPiece(byte[] raw, int at, StringBuilder piece) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int off : CHAR_OFFSETS) {
            char c = b.getChar(at + off);
            if (c == 0) {
                return;
            }
            piece.append(c);
        }
    }

    /**
     * Assembles the long name for a short entry from the long-name entries before it, in storage order.
     * The pieces are kept while their sequence numbers and checksums agree; a broken sequence is an orphan, and
     * the entry is known by its short name (as Windows and Linux do).
     */
    static final class Assembler {
        private final StringBuilder[] pieces = new StringBuilder[20];
        private int expected; // ordinal the next entry must have; 0 = no sequence in progress
        private int count;
        private int sum;

        void reset() {
            expected = 0;
        }

        void add(byte[] raw, int at) {
            int ord = raw[at + LDIR_ORD] & 0xFF;
            int seq = ord & 0x1F;
            int chk = raw[at + LDIR_CHKSUM] & 0xFF;
            if ((ord & LAST_LONG_ENTRY) != 0) {
                if (seq == 0 || seq > 20) {
                    expected = 0;
                    return;
                }
                count = seq;
                sum = chk;
                expected = seq;
            } else if (expected == 0 || seq != expected || chk != sum) {
                expected = 0;
                return;
            }
            StringBuilder piece = new StringBuilder(CHARS_PER_ENTRY);
            appendPiece(raw, at, piece);
            pieces[seq - 1] = piece;
            expected = seq - 1;
            if (expected == 0) {
                expected = -1; // complete: waits for its short entry
            }
        }

        /** The long name if a complete sequence for this short name precedes it, else null. Resets. */
        String finish(byte[] shortName11) {
            boolean complete = expected == -1 && sum == checksum(shortName11);
            expected = 0;
            if (!complete) {
                return null;
            }
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < count; i++) {
                name.append(pieces[i]);
            }
            return name.length() == 0 ? null : name.toString();
        }

        /** How many entries the complete sequence occupies (valid right after a non-null {@link #finish}). */
        int entries() {
            return count;
        }
    }
}
