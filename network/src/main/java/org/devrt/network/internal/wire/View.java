package org.devrt.network.internal.wire;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;

/**
 * What every packet view shares: a buffer and the range {@code [start, end)} the packet occupies in it. A view is
 * re-bound for each packet (the data path allocates none): {@code wrap} is the checked constructor for untrusted
 * bytes, after which no accessor can fail; {@code wrapForEmit} binds a buffer that is about to be written. Access is
 * absolute, so the range must lie below the buffer's limit; the buffer's position is never used or moved.
 */
public abstract class View {
    ByteBuffer buf;
    int start;
    int end;

    /** The buffer this view reads; absolute indices, its position and limit are not used. */
    public final ByteBuffer buffer() {
        return buf;
    }

    /** Index of the packet's first byte in {@link #buffer()}. */
    public final int start() {
        return start;
    }

    /** Index after the packet's last byte (for IPv4 and UDP: as the length field says, padding excluded). */
    public final int end() {
        return end;
    }

    /** Bytes from {@link #start()} to {@link #end()}. */
    public final int length() {
        return end - start;
    }

    final void bind(ByteBuffer buffer, int from, int to) {
        this.buf = buffer;
        this.start = from;
        this.end = to;
    }

    /** The MAC address at {@code field} (an offset from {@link #start()}). */
    final MacAddress macAt(int field) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = buf.get(start + field + i);
        }
        return MacAddress.of(b);
    }

    /** Whether the MAC address at {@code field} is {@code mac}, without making a MacAddress. */
    final boolean macAtIs(int field, MacAddress mac) {
        for (int i = 0; i < 6; i++) {
            if (Bytes.u8(buf, start + field + i) != mac.get(i)) {
                return false;
            }
        }
        return true;
    }

    final void putMacAt(int field, MacAddress mac) {
        for (int i = 0; i < 6; i++) {
            buf.put(start + field + i, (byte) mac.get(i));
        }
    }

    static void requireRoom(String what, ByteBuffer buffer, int from, int to, int needed) {
        if (from < 0 || to > buffer.limit() || to - from < needed) {
            throw new IllegalArgumentException(what + " needs " + needed + " bytes, the range [" + from + ", " + to
                    + ") of a buffer whose limit is " + buffer.limit() + " has " + (to - from));
        }
    }
}
