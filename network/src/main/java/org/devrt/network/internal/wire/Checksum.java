package org.devrt.network.internal.wire;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words. Sums are
 * carried in an int and folded at the end, so partial sums (pseudo-header, header, data) simply add.
 */
public final class Checksum {
    private Checksum() {
    }

    /** Adds the bytes {@code [from, to)} as big-endian 16-bit words (an odd last byte is padded with zero). */
    public static int sum(ByteBuffer b, int from, int to) {
        long sum = 0;
        int i = from;
        for (; i + 1 < to; i += 2) {
            sum += Bytes.u16(b, i);
        }
        if (i < to) {
            sum += Bytes.u8(b, i) << 8;
        }
        return fold(sum);
    }

    /** The sum of the IPv4 pseudo-header that UDP (RFC 768) and TCP put in front of their checksum. */
    public static int pseudoHeader(int source, int destination, int protocol, int length) {
        long sum = (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff)
                + protocol + length;
        return fold(sum);
    }

    /** Folds carries into 16 bits; the result is a partial sum that can be added to others. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum field's value for data whose partial sums add to {@code sum}. */
    public static int complement(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** Whether data whose sum (checksum field included) is {@code sum} checks: the folded sum is all ones. */
    public static boolean verifies(long sum) {
        return fold(sum) == 0xffff;
    }
}
