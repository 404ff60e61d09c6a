package org.devrt.network.internal.stack;

import static org.devrt.network.internal.testing.Frames.OUR_MAC;
import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.PEER_MAC;
import static org.devrt.network.internal.testing.Frames.US;
import static org.devrt.network.internal.testing.Frames.ip;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.testing.TwoStacks;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.testing.StackFixture;
import org.junit.Test;

public class IcmpEchoTest {
    private final StackFixture f = new StackFixture();

    @Test
    public void anEchoRequestIsAnsweredWithItsIdentifierSequenceAndData() {
        f.resolvePeer();
        byte[] data = "0123456789abcdef0123456789abcdef0123456789abcdef01234567".getBytes();
        f.receive(Frames.echoRequest(PEER, US, 0x4242, 7, data));
        List<byte[]> sent = f.sent();
        assertEquals(1, sent.size());
        assertEquals(PEER_MAC, Frames.ethernet(sent.get(0)).destination());
        assertEquals(OUR_MAC, Frames.ethernet(sent.get(0)).source());
        Ipv4.Packet ip = Frames.ipOf(sent.get(0));
        assertTrue(ip.checksumValid());
        assertEquals(US.value(), ip.source());
        assertEquals(PEER.value(), ip.destination());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4.Protocol.ICMP, ip.protocol());
        Icmp.Packet reply = Frames.icmpOf(sent.get(0));
        assertTrue(reply.checksumValid());
        assertEquals(Icmp.Type.ECHO_REPLY, reply.type());
        assertEquals(0x4242, reply.identifier());
        assertEquals(7, reply.sequence());
        byte[] echoed = new byte[reply.dataLength()];
        reply.buffer().get(reply.dataOffset(), echoed);
        assertArrayEquals(data, echoed);
        assertEquals(1, f.stack.counter(Counter.ICMP_ECHO_ANSWERED));
    }

    @Test
    public void anEchoRequestToABroadcastAddressIsIgnored() {
        f.resolvePeer();
        f.receive(Frames.echoRequest(PEER, ip("10.0.2.255"), 1, 1, new byte[8]));
        assertEquals(List.of(), f.sent());
        assertEquals(1, f.stack.counter(Counter.ICMP_BROADCAST_ECHO));
    }

    @Test
    public void aBadIcmpChecksumIsCountedAndNotAnswered() {
        f.resolvePeer();
        byte[] frame = Frames.echoRequest(PEER, US, 1, 1, new byte[8]);
        frame[frame.length - 1] ^= 1;
        f.receive(frame);
        assertEquals(List.of(), f.sent());
        assertEquals(1, f.stack.counter(Counter.ICMP_BAD_CHECKSUM));
    }

    @Test
    public void pingingTheLoopbackAndOurOwnAddressGoesThroughLo() throws Exception {
        try (EchoSocket s = f.stack.openEcho()) {
            long sentAt = s.send(ip("127.0.0.1").value(), 1, 56);
            f.clock.advanceMillis(1);
            f.poll();
            EchoSocket.Event e = s.receive(0);
            assertNotNull(e);
            assertTrue(e.isReply());
            assertEquals(ip("127.0.0.1").value(), e.from());
            assertEquals(1, e.sequence());
            assertEquals(64, e.icmpLength());
            assertEquals(1_000_000, e.receivedAt() - sentAt);
            s.send(US.value(), 2, 56);
            f.poll();
            assertEquals(US.value(), s.receive(0).from());
            assertEquals("nothing went out of eth0", List.of(), f.sent());
        }
    }

    @Test
    public void twoStacksOnAWirePingEachOtherAfterResolvingByArp() throws Exception {
        TwoStacks two = new TwoStacks();
        try (EchoSocket s = two.a.openEcho()) {
            s.send(TwoStacks.B.value(), 1, 56);
            two.exchange(4);
            EchoSocket.Event e = s.receive(0);
            assertNotNull("the reply came", e);
            assertEquals(TwoStacks.B.value(), e.from());
            assertNull(s.receive(0));
        }
        assertEquals(1, two.b.counter(Counter.ICMP_ECHO_ANSWERED));
        assertEquals(1, two.a.counter(Counter.ICMP_DELIVERED));
    }

    @Test
    public void anErrorQuotingOurEchoRequestReachesPing() throws Exception {
        f.resolvePeer();
        try (EchoSocket s = f.stack.openEcho()) {
            s.send(ip("192.0.2.1").value(), 5, 8);
            byte[] request = f.sent().get(0);
            Ipv4.Packet ip = Frames.ipOf(request);
            byte[] quoted = java.util.Arrays.copyOfRange(request, 14, 14 + 28);
            byte[] icmp = Frames.icmpMessage(Icmp.Repr.destinationUnreachable(Icmp.HOST_UNREACHABLE, 28), quoted);
            f.receive(Frames.ipv4(PEER_MAC, OUR_MAC, Ipv4.Repr.of(PEER, US, Ipv4.Protocol.ICMP, 64, icmp.length), icmp));
            EchoSocket.Event e = s.receive(0);
            assertEquals(Icmp.Type.DESTINATION_UNREACHABLE.value(), e.errorType());
            assertEquals(Icmp.HOST_UNREACHABLE, e.errorCode());
            assertEquals(5, e.sequence());
            assertEquals(PEER.value(), e.from());
            assertEquals(ip.destination(), ip("192.0.2.1").value());
        }
    }

    /** A later fragment's bytes are data, not an ICMP header: an error quoting one reaches no ping. */
    @Test
    public void anErrorQuotingALaterFragmentReachesNoPing() throws Exception {
        f.resolvePeer();
        try (EchoSocket s = f.stack.openEcho()) {
            s.send(ip("192.0.2.1").value(), 5, 8);
            byte[] request = f.sent().get(0);
            byte[] quoted = java.util.Arrays.copyOfRange(request, 14, 14 + 28); // its ICMP header as a fragment's data
            java.nio.ByteBuffer.wrap(quoted).putShort(6, (short) (0x2000 | 185)); // MF, offset 1480
            byte[] icmp = Frames.icmpMessage(Icmp.Repr.destinationUnreachable(Icmp.HOST_UNREACHABLE, 28), quoted);
            f.receive(Frames.ipv4(PEER_MAC, OUR_MAC, Ipv4.Repr.of(PEER, US, Ipv4.Protocol.ICMP, 64, icmp.length), icmp));
            assertNull("no event for ping", s.receive(0));
            assertEquals(1, f.stack.counter(Counter.ICMP_NO_SOCKET));
        }
    }
}
