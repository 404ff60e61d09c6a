package org.devrt.network.internal.wire;

import java.nio.ByteBuffer;

/**
 * Network-order (big-endian) field access at absolute indices, whatever the buffer's own byte order: a driver may
 * lend a little-endian DMA view. No bounds checks beyond the buffer's own; the views check lengths first.
 */
public final class Bytes {
    private Bytes() {
    }

    public static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    public static int u16(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) << 8 | b.get(i + 1) & 0xff;
    }

    public static int u32(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) << 24 | (b.get(i + 1) & 0xff) << 16 | (b.get(i + 2) & 0xff) << 8 | b.get(i + 3) & 0xff;
    }

    public static void put8(ByteBuffer b, int i, int value) {
        b.put(i, (byte) value);
    }

    public static void put16(ByteBuffer b, int i, int value) {
        b.put(i, (byte) (value >>> 8));
        b.put(i + 1, (byte) value);
    }

    public static void put32(ByteBuffer b, int i, int value) {
        b.put(i, (byte) (value >>> 24));
        b.put(i + 1, (byte) (value >>> 16));
        b.put(i + 2, (byte) (value >>> 8));
        b.put(i + 3, (byte) value);
    }

    /**
     * Copies {@code length} bytes between absolute indices, without touching either buffer's position or limit (a
     * driver's direct buffer is copied in bulk too). A heap buffer is written up to its capacity, whatever its limit:
     * a ring whose view a reader has narrowed to one packet is still written elsewhere.
     */
    public static void copy(ByteBuffer from, int fromIndex, ByteBuffer to, int toIndex, int length) {
        if (from.hasArray() && to.hasArray()) {
            System.arraycopy(from.array(), from.arrayOffset() + fromIndex, to.array(), to.arrayOffset() + toIndex, length);
        } else if (to.hasArray()) {
            // not to.put(toIndex, from, ...): that checks toIndex + length against to's limit, not its capacity
            from.get(fromIndex, to.array(), to.arrayOffset() + toIndex, length);
        } else {
            to.put(toIndex, from, fromIndex, length);
        }
    }

    /** Sets {@code length} bytes from {@code index} to {@code value}. */
    public static void fill(ByteBuffer b, int index, int length, int value) {
        for (int i = 0; i < length; i++) {
            b.put(index + i, (byte) value);
        }
    }
}
