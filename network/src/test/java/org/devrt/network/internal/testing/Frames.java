package org.devrt.network.internal.testing;

import static org.junit.Assert.assertNull;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.wire.Arp;
import org.devrt.network.internal.wire.Ethernet;
import org.devrt.network.internal.wire.Ethernet.EtherType;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Udp;

/** Builds frames a peer would send, with the wire value types, and reads the frames the stack sent. */
public final class Frames {
    public static final MacAddress PEER_MAC = MacAddress.parse("52:55:0a:00:02:02");
    public static final MacAddress OUR_MAC = MacAddress.parse("52:54:00:12:34:56");
    public static final Ipv4Address PEER = Ipv4Address.parse("10.0.2.2");
    public static final Ipv4Address US = Ipv4Address.parse("10.0.2.15");

    private Frames() {
    }

    public static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    public static byte[] arp(Arp.Operation op, MacAddress ethDestination, MacAddress senderMac, Ipv4Address sender,
            MacAddress targetMac, Ipv4Address target) {
        ByteBuffer b = ByteBuffer.allocate(Ethernet.HEADER_LEN + Arp.PACKET_LEN);
        new Ethernet.Repr(senderMac, ethDestination, EtherType.ARP).emit(new Ethernet.Frame().wrapForEmit(b, 0, 14));
        new Arp.Repr(op, senderMac, sender, targetMac, target).emit(new Arp.Packet().wrapForEmit(b, 14, b.capacity()));
        return b.array();
    }

    /** Who-has {@code target}, tell {@code sender}. */
    public static byte[] arpRequest(MacAddress senderMac, Ipv4Address sender, Ipv4Address target) {
        return arp(Arp.Operation.REQUEST, MacAddress.BROADCAST, senderMac, sender, Arp.Repr.UNKNOWN, target);
    }

    public static byte[] arpReply(MacAddress senderMac, Ipv4Address sender, MacAddress targetMac, Ipv4Address target) {
        return arp(Arp.Operation.REPLY, targetMac, senderMac, sender, targetMac, target);
    }

    /** An IPv4 frame around {@code payload} (which starts with the transport header). */
    public static byte[] ipv4(MacAddress from, MacAddress to, Ipv4.Repr ip, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + payload.length);
        new Ethernet.Repr(from, to, EtherType.IPV4).emit(new Ethernet.Frame().wrapForEmit(b, 0, 14));
        b.put(34, payload);
        ip.emit(new Ipv4.Packet().wrapForEmit(b, 14, b.capacity()));
        return b.array();
    }

    public static byte[] icmpMessage(Icmp.Repr repr, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length);
        b.put(8, data);
        repr.emit(new Icmp.Packet().wrapForEmit(b, 0, b.capacity()));
        return b.array();
    }

    public static byte[] echoRequest(Ipv4Address from, Ipv4Address to, int id, int seq, byte[] data) {
        byte[] icmp = icmpMessage(Icmp.Repr.echoRequest(id, seq, data.length), data);
        return ipv4(PEER_MAC, OUR_MAC, Ipv4.Repr.of(from, to, Ipv4.Protocol.ICMP, 64, icmp.length), icmp);
    }

    public static byte[] udpDatagram(Ipv4Address from, int sourcePort, Ipv4Address to, int port, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.put(8, payload);
        new Udp.Repr(sourcePort, port, payload.length).emit(new Udp.Datagram().wrapForEmit(b, 0, b.capacity()), from, to);
        return b.array();
    }

    public static byte[] udp(Ipv4Address from, int sourcePort, Ipv4Address to, int port, byte[] payload) {
        byte[] udp = udpDatagram(from, sourcePort, to, port, payload);
        return ipv4(PEER_MAC, OUR_MAC, Ipv4.Repr.of(from, to, Ipv4.Protocol.UDP, 64, udp.length), udp);
    }

    /** One fragment of datagram {@code id} carrying {@code whole[offset, offset + length)}. */
    public static byte[] fragment(Ipv4Address from, Ipv4Address to, Ipv4.Protocol protocol, int id, byte[] whole,
            int offset, int length, boolean more) {
        byte[] chunk = java.util.Arrays.copyOfRange(whole, offset, offset + length);
        return ipv4(PEER_MAC, OUR_MAC, new Ipv4.Repr(from, to, protocol, 64, id, false, more, offset, 0, length), chunk);
    }

    public static Ethernet.Frame ethernet(byte[] frame) {
        Ethernet.Frame f = new Ethernet.Frame();
        assertNull(f.wrap(ByteBuffer.wrap(frame)));
        return f;
    }

    public static Arp.Packet arpOf(byte[] frame) {
        Arp.Packet p = new Arp.Packet();
        assertNull(p.wrap(ByteBuffer.wrap(frame), 14, frame.length));
        return p;
    }

    public static Ipv4.Packet ipOf(byte[] frame) {
        Ipv4.Packet p = new Ipv4.Packet();
        assertNull(p.wrap(ByteBuffer.wrap(frame), 14, frame.length));
        return p;
    }

    public static Icmp.Packet icmpOf(byte[] frame) {
        Ipv4.Packet ip = ipOf(frame);
        Icmp.Packet p = new Icmp.Packet();
        assertNull(p.wrap(ip.buffer(), ip.payloadOffset(), ip.end()));
        return p;
    }

    public static Udp.Datagram udpOf(byte[] frame) {
        Ipv4.Packet ip = ipOf(frame);
        Udp.Datagram d = new Udp.Datagram();
        assertNull(d.wrap(ip.buffer(), ip.payloadOffset(), ip.end()));
        return d;
    }

    /**
     * The payload of the datagram the frames carry as its fragments, in order: each a fragment of one datagram
     * (same identification, valid header checksum, 8-byte multiples but the last, MF on all but the last).
     */
    public static byte[] reassembled(java.util.List<byte[]> frames) {
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        int id = ipOf(frames.get(0)).identification();
        for (int i = 0; i < frames.size(); i++) {
            Ipv4.Packet p = ipOf(frames.get(i));
            boolean last = i == frames.size() - 1;
            org.junit.Assert.assertTrue("fragment " + i + "'s header checksum", p.checksumValid());
            org.junit.Assert.assertEquals("fragment " + i + "'s identification", id, p.identification());
            org.junit.Assert.assertEquals("fragment " + i + "'s offset", payload.size(), p.fragmentOffset());
            org.junit.Assert.assertEquals("fragment " + i + "'s MF flag", !last, p.moreFragments());
            org.junit.Assert.assertTrue("fragment " + i + " is not a multiple of 8 bytes: " + p.payloadLength(),
                    last || p.payloadLength() % 8 == 0);
            payload.write(p.buffer().array(), p.payloadOffset(), p.payloadLength());
        }
        return payload.toByteArray();
    }

    public static boolean isArp(byte[] frame) {
        return ethernet(frame).etherType().equals(EtherType.ARP);
    }
}
