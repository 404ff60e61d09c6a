package org.devrt.vfs.internal.shell;

import java.nio.ByteBuffer;

/**
 * Bytes as {@code hexdump -C} prints them: offset, 16 bytes in two groups of 8, the printable ASCII between bars;
 * a run of lines equal to the one before is shown as one {@code *}, and the last line is the end offset.
 */
final class HexDump {
    private static final int LINE = 16;

    private HexDump() {
    }

    /** Dumps {@code data}'s remaining bytes (position untouched), numbering them from {@code offset}. */
    static String format(long offset, ByteBuffer data) {
        StringBuilder out = new StringBuilder();
        int start = data.position();
        int length = data.remaining();
        boolean starred = false;
        for (int at = 0; at < length; at += LINE) {
            int n = Math.min(LINE, length - at);
            if (at >= LINE && n == LINE && sameAsPrevious(data, start + at)) {
                if (!starred) {
                    out.append("*\n");
                    starred = true;
                }
                continue;
            }
            starred = false;
            out.append(String.format("%08x ", offset + at));
            StringBuilder ascii = new StringBuilder(LINE);
            for (int i = 0; i < LINE; i++) {
                out.append(i == 8 ? "  " : " ");
                if (i < n) {
                    int b = data.get(start + at + i) & 0xFF;
                    out.append(String.format("%02x", b));
                    ascii.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
                } else {
                    out.append("  ");
                }
            }
            out.append("  |").append(ascii).append("|\n");
        }
        out.append(String.format("%08x", offset + length));
        return out.toString();
    }

    private static boolean sameAsPrevious(ByteBuffer data, int at) {
        for (int i = 0; i < LINE; i++) {
            if (data.get(at + i) != data.get(at - LINE + i)) {
                return false;
            }
        }
        return true;
    }
}
