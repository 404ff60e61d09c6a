package org.devrt.itests.nic;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.devrt.device.MacAddress;

/**
 * Ethernet frames the NIC tests build by hand and read back: destination, source, EtherType, payload, no FCS. Every
 * frame a test sends is at least 60 bytes long (the minimum without FCS), so the NIC's short-frame padding does not
 * change it and a receiver gets exactly the bytes that were sent.
 */
final class Frames {
    static final int HEADER = 14;
    /** The shortest Ethernet frame without its FCS: shorter ones are padded by the transmitting NIC. */
    static final int MIN_FRAME = 60;
    static final int MAX_FRAME = 1514;
    /** IEEE 802 "local experimental EtherType 1": no protocol stack takes it for its own. */
    static final int ETHERTYPE_TEST = 0x88B5;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ARP_REQUEST = 1;
    static final int ARP_REPLY = 2;
    /** Lengths the test frames cycle through: the minimum, odd ones, the maximum. */
    private static final int[] LENGTHS = {MIN_FRAME, 61, 127, 512, 1000, 1513, MAX_FRAME};

    private Frames() {
    }

    /** A frame of {@code type} from {@code src} to {@code dst} carrying {@code payload}. */
    static byte[] frame(MacAddress dst, MacAddress src, int type, byte[] payload) {
        return ByteBuffer.allocate(HEADER + payload.length).put(dst.toBytes()).put(src.toBytes())
                .putShort((short) type).put(payload).array();
    }

    /**
     * Test frame {@code index} of a series: EtherType {@link #ETHERTYPE_TEST}, a payload that starts with
     * {@code tag} and the index in text (so a dump says which frame it is) and goes on with a pattern that
     * depends on the index; its length is one of {@link #LENGTHS}, by index.
     */
    static byte[] testFrame(MacAddress dst, MacAddress src, String tag, int index) {
        int length = LENGTHS[index % LENGTHS.length];
        byte[] payload = new byte[length - HEADER];
        byte[] text = (tag + " #" + index + " ").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < payload.length; i++) {
            payload[i] = i < text.length ? text[i] : (byte) (index * 31 + i * 7);
        }
        return frame(dst, src, ETHERTYPE_TEST, payload);
    }

    /** Whether {@code frame} is a test frame whose payload starts with {@code tag}. */
    static boolean isTestFrame(byte[] frame, String tag) {
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        return frame.length >= HEADER + t.length && type(frame) == ETHERTYPE_TEST
                && Arrays.equals(frame, HEADER, HEADER + t.length, t, 0, t.length);
    }

    /**
     * A broadcast ARP request (RFC 826) from {@code src}/{@code senderIp} asking for {@code targetIp}, padded with
     * zeros to {@link #MIN_FRAME} bytes.
     */
    static byte[] arpRequest(MacAddress src, byte[] senderIp, byte[] targetIp) {
        ByteBuffer arp = ByteBuffer.allocate(MIN_FRAME - HEADER);
        arp.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) ARP_REQUEST)
                .put(src.toBytes()).put(senderIp).put(new byte[6]).put(targetIp);
        return frame(MacAddress.BROADCAST, src, ETHERTYPE_ARP, arp.array());
    }

    static MacAddress destination(byte[] frame) {
        return MacAddress.of(Arrays.copyOfRange(frame, 0, 6));
    }

    static MacAddress source(byte[] frame) {
        return MacAddress.of(Arrays.copyOfRange(frame, 6, 12));
    }

    static int type(byte[] frame) {
        return (frame[12] & 0xff) << 8 | frame[13] & 0xff;
    }

    /** Whether {@code frame} is an IPv4-over-Ethernet ARP packet with this operation, sender and target address. */
    static boolean isArp(byte[] frame, int operation, byte[] senderIp, byte[] targetIp) {
        return frame.length >= HEADER + 28 && type(frame) == ETHERTYPE_ARP
                && frame[HEADER + 6] == 0 && (frame[HEADER + 7] & 0xff) == operation
                && Arrays.equals(frame, HEADER + 14, HEADER + 18, senderIp, 0, 4)
                && Arrays.equals(frame, HEADER + 24, HEADER + 28, targetIp, 0, 4);
    }

    /** One line for a failure message: addresses, type, length and the first bytes of the payload. */
    static String describe(byte[] frame) {
        if (frame.length < HEADER) {
            return frame.length + " bytes: " + HexFormat.of().formatHex(frame);
        }
        int shown = Math.min(frame.length, HEADER + 24);
        return String.format("%s > %s type 0x%04x, %d bytes, payload %s%s", source(frame), destination(frame),
                type(frame), frame.length, HexFormat.ofDelimiter(" ").formatHex(frame, HEADER, shown),
                shown < frame.length ? " ..." : "");
    }

    /** Where two frames first differ, for a failure message; null if they are equal. */
    static String firstDifference(byte[] expected, byte[] actual) {
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (expected[i] != actual[i]) {
                return String.format("byte %d is 0x%02x, not 0x%02x", i, actual[i] & 0xff, expected[i] & 0xff);
            }
        }
        return expected.length == actual.length ? null
                : actual.length + " bytes, not " + expected.length;
    }
}
