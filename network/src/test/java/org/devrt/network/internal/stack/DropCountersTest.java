package org.devrt.network.internal.stack;

import static org.devrt.network.internal.testing.Frames.OUR_MAC;
import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.PEER_MAC;
import static org.devrt.network.internal.testing.Frames.US;
import static org.devrt.network.internal.testing.Frames.ip;
import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Consumer;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.wire.Arp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.testing.StackFixture;
import org.junit.Test;

/** Each kind of bad input is dropped and counted under its own reason, and nothing is thrown. */
public class DropCountersTest {
    private final StackFixture f = new StackFixture();

    private void assertDropped(Counter expected, byte[] frame) {
        f.receive(frame);
        Map<Counter, Long> counters = f.stack.counters();
        assertEquals(expected + " in " + counters, Long.valueOf(1), counters.get(expected));
        assertEquals("one frame, one counter: " + counters, 1, f.stack.framesAccountedFor());
        assertEquals(0, f.sent().size());
    }

    private static byte[] udp() {
        return Frames.udp(PEER, 1234, US, 5000, "payload".getBytes());
    }

    private static byte[] with(byte[] frame, Consumer<ByteBuffer> change) {
        ByteBuffer b = ByteBuffer.wrap(frame.clone());
        change.accept(b);
        return b.array();
    }

    /** Changes an IPv4 header field and fixes the header checksum, so only the change is wrong. */
    private static byte[] withIp(byte[] frame, Consumer<ByteBuffer> change) {
        return with(frame, b -> {
            change.accept(b);
            new Ipv4.Packet().wrapForEmit(b, 14, 34).fillChecksum();
        });
    }

    @Test
    public void aRuntFrame() {
        assertDropped(Counter.FRAME_TRUNCATED, new byte[13]);
    }

    @Test
    public void aFrameForAnotherMac() {
        assertDropped(Counter.FRAME_NOT_FOR_US, with(udp(), b -> b.put(5, (byte) 0x99)));
    }

    @Test
    public void aMulticastFrame() {
        assertDropped(Counter.FRAME_MULTICAST, with(udp(), b -> b.put(0, (byte) 0x01)));
    }

    @Test
    public void anUnknownEtherType() {
        assertDropped(Counter.FRAME_UNKNOWN_TYPE, with(udp(), b -> b.putShort(12, (short) 0x88b5)));
    }

    @Test
    public void aFrameOnAnInterfaceThatIsDown() {
        f.stack.setUp("eth0", false);
        assertDropped(Counter.FRAME_INTERFACE_DOWN, udp());
    }

    @Test
    public void arpProblems() {
        byte[] request = Frames.arpRequest(PEER_MAC, PEER, US);
        assertDropped(Counter.ARP_TRUNCATED, java.util.Arrays.copyOf(request, 14 + 20));
        f.stack.configure("eth0", org.devrt.network.internal.wire.Ipv4Cidr.parse("10.0.2.15/24"), null);
        StackFixture g = new StackFixture();
        g.receive(with(request, b -> b.putShort(14, (short) 6)));
        assertEquals(1, g.stack.counter(Counter.ARP_UNSUPPORTED));
        g.receive(with(request, b -> b.putShort(14 + 6, (short) 3)));
        assertEquals(1, g.stack.counter(Counter.ARP_BAD_OPERATION));
        g.receive(Frames.arpRequest(MacAddress.BROADCAST, PEER, US));
        g.receive(Frames.arpRequest(PEER_MAC, Ipv4Address.parse("224.0.0.1"), US));
        g.receive(Frames.arpRequest(MacAddress.BROADCAST, Ipv4Address.ANY, US));
        assertEquals(3, g.stack.counter(Counter.ARP_BAD_SENDER));
        assertEquals(0, g.sent().size());
    }

    @Test
    public void ipv4HeadersThatLie() {
        assertDropped(Counter.IPV4_TRUNCATED, java.util.Arrays.copyOf(udp(), 14 + 19));
    }

    @Test
    public void ipv4BadVersion() {
        assertDropped(Counter.IPV4_BAD_VERSION, withIp(udp(), b -> b.put(14, (byte) 0x65)));
    }

    @Test
    public void ipv4BadHeaderLength() {
        assertDropped(Counter.IPV4_BAD_HEADER_LENGTH, withIp(udp(), b -> b.put(14, (byte) 0x44)));
    }

    @Test
    public void ipv4TotalLengthLongerThanTheFrame() {
        assertDropped(Counter.IPV4_BAD_LENGTH, withIp(udp(), b -> b.putShort(16, (short) 200)));
    }

    @Test
    public void ipv4BadChecksum() {
        assertDropped(Counter.IPV4_BAD_CHECKSUM, with(udp(), b -> b.put(14 + 8, (byte) 1)));
    }

    @Test
    public void ipv4BadSources() {
        assertDropped(Counter.IPV4_BAD_SOURCE, withIp(udp(), b -> b.putInt(14 + 12, ip("224.0.0.1").value())));
    }

    /** RFC 1122 3.2.1.3 (g), Linux's martians: a socket bound to 127.0.0.1 must not take it (nor answer it). */
    @Test
    public void ipv4ToALoopbackAddressFromTheWireIsAMartian() throws Exception {
        f.stack.bindUdpSocket(ip("127.0.0.1").value(), 5000);
        assertDropped(Counter.IPV4_MARTIAN, withIp(udp(), b -> b.putInt(14 + 16, ip("127.0.0.1").value())));
    }

    @Test
    public void ipv4FromALoopbackAddressOnTheWireIsAMartian() {
        assertDropped(Counter.IPV4_MARTIAN, withIp(udp(), b -> b.putInt(14 + 12, ip("127.0.0.1").value())));
    }

    @Test
    public void ipv4FromThisNetworkZeroIsAMartian() {
        assertDropped(Counter.IPV4_MARTIAN, withIp(udp(), b -> b.putInt(14 + 12, ip("0.1.2.3").value())));
    }

    /** A loose source route naming another hop: Linux (accept_source_route 0) drops it; it was answered. */
    @Test
    public void ipv4WithASourceRouteIsDropped() {
        byte[] plain = udp();
        byte[] routed = new byte[plain.length + 8];
        System.arraycopy(plain, 0, routed, 0, 34);
        byte[] lsrr = {(byte) 0x83, 7, 4, (byte) 192, 0, 2, 9, 0}; // pointer 4: the hop 192.0.2.9 is still to come
        System.arraycopy(lsrr, 0, routed, 34, 8);
        System.arraycopy(plain, 34, routed, 42, plain.length - 34);
        ByteBuffer b = ByteBuffer.wrap(routed);
        b.put(14, (byte) 0x47);
        b.putShort(16, (short) (b.getShort(16) + 8));
        new Ipv4.Packet().wrapForEmit(b, 14, 42).fillChecksum();
        assertDropped(Counter.IPV4_SOURCE_ROUTED, routed);
    }

    /** Linux's fib_validate_source: a packet forged from our address would be answered to ourselves. */
    @Test
    public void ipv4FromOurOwnAddressOnTheWireIsAMartian() {
        assertDropped(Counter.IPV4_MARTIAN, withIp(udp(), b -> b.putInt(14 + 12, US.value())));
    }

    @Test
    public void ipv4ForAnotherHost() {
        assertDropped(Counter.IPV4_NOT_FOR_US, withIp(udp(), b -> b.putInt(14 + 16, ip("10.0.2.99").value())));
    }

    @Test
    public void ipv4WithTtlZeroIsStillAcceptedByAHost() throws Exception {
        f.stack.bindUdpSocket(0, 5000);
        assertDropped(Counter.UDP_DELIVERED, withIp(udp(), b -> b.put(14 + 8, (byte) 0)));
    }

    @Test
    public void ipv4OptionsAreSkipped() throws Exception {
        f.stack.bindUdpSocket(0, 5000);
        byte[] plain = udp();
        byte[] opts = new byte[plain.length + 4];
        System.arraycopy(plain, 0, opts, 0, 34);
        opts[34] = 1;
        opts[35] = 1;
        opts[36] = 1;
        System.arraycopy(plain, 34, opts, 38, plain.length - 34);
        assertDropped(Counter.UDP_DELIVERED, withIp(opts, b -> {
            b.put(14, (byte) 0x46);
            b.putShort(16, (short) (b.getShort(16) + 4));
            new Ipv4.Packet().wrapForEmit(b, 14, 38).fillChecksum();
        }));
    }

    @Test
    public void anUnknownProtocolIsAnsweredWithProtocolUnreachable() {
        f.resolvePeer();
        f.receive(withIp(udp(), b -> b.put(14 + 9, (byte) 253)));
        assertEquals(1, f.stack.counter(Counter.IPV4_UNKNOWN_PROTOCOL));
        assertEquals(2, Frames.icmpOf(f.sent().get(0)).code());
    }

    @Test
    public void udpLengthThatLies() {
        assertDropped(Counter.UDP_BAD_LENGTH, with(udp(), b -> b.putShort(34 + 4, (short) 100)));
    }

    @Test
    public void udpTruncated() {
        byte[] tiny = Frames.ipv4(PEER_MAC, OUR_MAC, Ipv4.Repr.of(PEER, US, Ipv4.Protocol.UDP, 64, 4), new byte[4]);
        assertDropped(Counter.UDP_TRUNCATED, tiny);
    }

    @Test
    public void icmpTruncated() {
        byte[] tiny = Frames.ipv4(PEER_MAC, OUR_MAC, Ipv4.Repr.of(PEER, US, Ipv4.Protocol.ICMP, 64, 4), new byte[4]);
        assertDropped(Counter.ICMP_TRUNCATED, tiny);
    }

    @Test
    public void anEchoReplyNobodyWaitsFor() {
        byte[] reply = Frames.echoRequest(PEER, US, 1, 1, new byte[8]);
        assertDropped(Counter.ICMP_NO_SOCKET, with(reply, b -> {
            b.put(34, (byte) 0);
            b.putShort(36, (short) 0);
            new org.devrt.network.internal.wire.Icmp.Packet().wrapForEmit(b, 34, b.capacity()).fillChecksum();
        }));
    }

    @Test
    public void anArpReplyNotForUsFromAStranger() {
        assertDropped(Counter.ARP_NOT_FOR_US, Frames.arp(Arp.Operation.REPLY, MacAddress.BROADCAST, PEER_MAC, PEER,
                PEER_MAC, ip("10.0.2.77")));
    }
}
