package org.devrt.device;

import java.util.Arrays;
import java.util.HexFormat;

/** A 48-bit IEEE 802 MAC address. Immutable. */
public final class MacAddress {
    /** ff:ff:ff:ff:ff:ff. */
    public static final MacAddress BROADCAST = new MacAddress(new byte[] {-1, -1, -1, -1, -1, -1});

    private final byte[] bytes;

    private MacAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The address made of the six given bytes. */
    public static MacAddress of(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        return new MacAddress(bytes.clone());
    }

    /** Parses {@code 52:54:00:12:34:56} (colons or dashes). */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address (want six hex bytes like 52:54:00:12:34:56): " + text);
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 2 || !parts[i].chars().allMatch(HexFormat::isHexDigit)) {
                throw new IllegalArgumentException("not a MAC address, bad byte '" + parts[i] + "': " + text);
            }
            b[i] = (byte) HexFormat.fromHexDigits(parts[i]);
        }
        return new MacAddress(b);
    }

    /** A copy of the six bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Byte {@code i} (0-5) as an unsigned value. */
    public int get(int i) {
        return bytes[i] & 0xff;
    }

    /** Whether the group (multicast) bit is set; true for broadcast. */
    public boolean isMulticast() {
        return (bytes[0] & 1) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Lower-case, colon-separated, as Linux prints it. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}
