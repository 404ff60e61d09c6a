package org.devrt.network.internal.wire;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Test helpers: golden bytes written as hex, and buffers pre-filled with 0xA5 to show every byte an emit leaves. */
public final class Hex {
    public static final byte FILL = (byte) 0xa5;

    private Hex() {
    }

    /** Bytes from hex text; spaces and line breaks are ignored. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    /** A buffer over a copy of the golden bytes, position 0, limit at the end. */
    public static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    /** A buffer of {@code n} bytes of 0xA5. */
    public static ByteBuffer filled(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, FILL);
        return ByteBuffer.wrap(b);
    }

    /** The buffer's bytes as hex, for assertion messages that show the difference. */
    public static String of(ByteBuffer b) {
        byte[] copy = new byte[b.capacity()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = b.get(i);
        }
        return HexFormat.of().formatHex(copy);
    }
}
