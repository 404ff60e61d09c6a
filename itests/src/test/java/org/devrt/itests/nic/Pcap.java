package org.devrt.itests.nic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the frames of a classic libpcap capture ({@code tcpdump -w}): a 24-byte global header whose magic says the
 * byte order (A1B2C3D4h, or A1B23C4Dh for nanosecond stamps), then per frame a 16-byte record header (seconds,
 * fraction, captured length, original length) and the captured bytes.
 */
final class Pcap {
    static final int LINKTYPE_ETHERNET = 1;

    private Pcap() {
    }

    /**
     * The frames in {@code capture}; a record cut short at the end (a capture that was stopped) is left out.
     *
     * @throws IllegalArgumentException if it is not a pcap of Ethernet frames
     */
    static List<byte[]> frames(byte[] capture) {
        ByteBuffer in = ByteBuffer.wrap(capture).order(ByteOrder.LITTLE_ENDIAN);
        if (capture.length < 24) {
            throw new IllegalArgumentException("not a pcap capture: " + capture.length + " bytes, less than its header");
        }
        int magic = in.getInt(0);
        if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
            if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
                throw new IllegalArgumentException(String.format("not a pcap capture: magic %08x", in.getInt(0)));
            }
        }
        int linkType = in.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IllegalArgumentException("the capture's link type is " + linkType + ", not Ethernet (1)");
        }
        List<byte[]> frames = new ArrayList<>();
        int at = 24;
        while (at + 16 <= capture.length) {
            int captured = in.getInt(at + 8);
            if (captured < 0 || at + 16 + captured > capture.length) {
                break;
            }
            byte[] frame = new byte[captured];
            in.get(at + 16, frame);
            frames.add(frame);
            at += 16 + captured;
        }
        return frames;
    }
}
