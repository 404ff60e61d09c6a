package org.devrt.network.internal.stack;

import static org.devrt.network.internal.testing.Frames.OUR_MAC;
import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.PEER_MAC;
import static org.devrt.network.internal.testing.Frames.US;
import static org.devrt.network.internal.testing.Frames.ip;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.iface.Neighbour;
import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.wire.Arp;
import org.devrt.network.internal.wire.Ethernet;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;
import org.devrt.network.internal.testing.StackFixture;
import org.junit.Test;

public class ArpResolutionTest {
    private final StackFixture f = new StackFixture();

    @Test
    public void bringingAnInterfaceUpAnnouncesItsAddress() {
        f.stack.setUp("eth0", false);
        f.stack.setUp("eth0", true);
        List<byte[]> sent = f.sent();
        assertEquals(1, sent.size());
        assertEquals("padded to the Ethernet minimum", Ethernet.MIN_FRAME_LEN, sent.get(0).length);
        assertTrue(Frames.ethernet(sent.get(0)).destinationIsBroadcast());
        Arp.Packet arp = Frames.arpOf(sent.get(0));
        assertEquals(Arp.Operation.REQUEST, arp.operation());
        assertEquals(OUR_MAC, arp.senderHardware());
        assertEquals("sender and target are our own address (RFC 5227)", US.value(), arp.senderProtocol());
        assertEquals(US.value(), arp.targetProtocol());
    }

    @Test
    public void aRequestForOurAddressIsAnsweredAndItsSenderLearnt() {
        f.receive(Frames.arpRequest(PEER_MAC, PEER, US));
        List<byte[]> sent = f.sent();
        assertEquals(1, sent.size());
        assertEquals(PEER_MAC, Frames.ethernet(sent.get(0)).destination());
        Arp.Packet reply = Frames.arpOf(sent.get(0));
        assertEquals(new Arp.Repr(Arp.Operation.REPLY, OUR_MAC, US, PEER_MAC, PEER), Arp.Repr.parse(reply));
        assertEquals(List.of(new Neighbour("eth0", PEER, PEER_MAC, "REACHABLE")), f.stack.neighbours());
        assertEquals(1, f.stack.counter(Counter.ARP_ANSWERED));
    }

    /**
     * An address probe (RFC 5227: sender address 0) for our address is answered to the prober, with target address
     * 0, as Linux's arp_process: `arping -D` or a DHCP client's check then sees the address is taken. One for
     * another address is not; neither is learnt.
     */
    @Test
    public void anAddressProbeForOurAddressIsAnsweredToTheProberAndNothingLearnt() {
        f.receive(Frames.arpRequest(PEER_MAC, Ipv4Address.ANY, ip("10.0.2.99")));
        assertEquals("a probe for another address", List.of(), f.sent());
        f.receive(Frames.arpRequest(PEER_MAC, Ipv4Address.ANY, US));
        List<byte[]> sent = f.sent();
        assertEquals(1, sent.size());
        assertEquals("unicast to the prober", PEER_MAC, Frames.ethernet(sent.get(0)).destination());
        assertEquals(new Arp.Repr(Arp.Operation.REPLY, OUR_MAC, US, PEER_MAC, Ipv4Address.ANY),
                Arp.Repr.parse(Frames.arpOf(sent.get(0))));
        assertEquals(List.of(), f.stack.neighbours());
        assertEquals(1, f.stack.counter(Counter.ARP_ANSWERED));
        assertEquals(1, f.stack.counter(Counter.ARP_NOT_FOR_US));
    }

    @Test
    public void aRequestForAnotherAddressIsNeitherAnsweredNorLearnt() {
        f.receive(Frames.arpRequest(PEER_MAC, PEER, ip("10.0.2.99")));
        assertEquals(List.of(), f.sent());
        assertEquals(List.of(), f.stack.neighbours());
        assertEquals(1, f.stack.counter(Counter.ARP_NOT_FOR_US));
    }

    @Test
    public void packetsWaitForResolutionAndLeaveInOrderWhenTheReplyComes() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        send(s, "one", PEER, 7);
        send(s, "two", PEER, 7);
        List<byte[]> sent = f.sent();
        assertEquals("one request, two packets waiting", 1, sent.size());
        assertEquals(PEER.value(), Frames.arpOf(sent.get(0)).targetProtocol());
        f.receive(Frames.arpReply(PEER_MAC, PEER, OUR_MAC, US));
        sent = f.sent();
        assertEquals(2, sent.size());
        assertEquals(PEER_MAC, Frames.ethernet(sent.get(0)).destination());
        assertEquals("one", payload(sent.get(0)));
        assertEquals("two", payload(sent.get(1)));
        send(s, "three", PEER, 7);
        assertEquals("resolved: sent at once", "three", payload(f.sent().get(0)));
    }

    @Test
    public void offLinkDestinationsAreResolvedThroughTheGateway() throws Exception {
        send(f.stack.bindUdpSocket(0, 0), "x", ip("192.0.2.1"), 7);
        assertEquals(PEER.value(), Frames.arpOf(f.sent().get(0)).targetProtocol());
    }

    @Test
    public void requestsAreRateLimitedThenTheAddressFailsAndWaitingPacketsAreDropped() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        for (int i = 0; i < 3; i++) {
            send(s, "p" + i, PEER, 7);
        }
        assertEquals("three packets, one request", 1, f.sent().size());
        f.clock.advanceMillis(500);
        f.poll();
        assertEquals("not again within a second", 0, f.sent().size());
        f.clock.advanceMillis(500);
        f.poll();
        assertEquals(1, f.sent().size());
        f.clock.advanceMillis(1000);
        f.poll();
        assertEquals("the third and last request", 1, f.sent().size());
        f.clock.advanceMillis(1000);
        f.poll();
        assertEquals(0, f.sent().size());
        assertEquals(3, f.stack.counter(Counter.TX_ARP_FAILED));
        assertEquals("FAILED", f.stack.neighbours().get(0).state());
        send(s, "again", PEER, 7);
        assertEquals("a new packet starts over", 1, f.sent().size());
    }

    @Test
    public void theQueueForOneDestinationIsBounded() throws Exception {
        int bound = StackConfig.DEFAULTS.arp().queuePerDestination();
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        for (int i = 0; i < bound + 2; i++) {
            send(s, "p" + i, PEER, 7);
        }
        assertEquals(2, f.stack.counter(Counter.TX_ARP_QUEUE_FULL));
        assertEquals("only the request went out", 1, f.sent().size());
        f.receive(Frames.arpReply(PEER_MAC, PEER, OUR_MAC, US));
        List<String> out = f.sent().stream().map(ArpResolutionTest::payload).toList();
        assertEquals("the first " + bound + ", in order", java.util.stream.IntStream.range(0, bound)
                .mapToObj(i -> "p" + i).toList(), out);
    }

    /**
     * Past its 60 s an entry is STALE: a packet still goes at once to the MAC known, and a unicast request checks
     * it (RFC 1122 2.3.2.1, Linux's STALE and PROBE); an answer keeps it. It was forgotten, and every 60 s a packet
     * waited for a broadcast request and its answer.
     */
    @Test
    public void aStaleEntryIsUsedAndCheckedByUnicastRequests() throws Exception {
        f.resolvePeer();
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        f.clock.advanceMillis(61_000);
        f.poll();
        assertEquals("STALE", f.stack.neighbours().get(0).state());
        send(s, "stale", PEER, 7);
        List<byte[]> sent = f.sent();
        assertEquals("sent at once to the MAC known", "stale", payload(sent.get(0)));
        assertEquals(PEER_MAC, Frames.ethernet(sent.get(0)).destination());
        f.poll();
        sent = f.sent();
        assertEquals(1, sent.size());
        assertEquals("the check goes to the MAC known, not to everyone", PEER_MAC,
                Frames.ethernet(sent.get(0)).destination());
        assertEquals(PEER, Arp.Repr.parse(Frames.arpOf(sent.get(0))).targetProtocol());
        assertEquals("PROBE", f.stack.neighbours().get(0).state());
        f.receive(Frames.arpReply(PEER_MAC, PEER, OUR_MAC, US));
        assertEquals("REACHABLE", f.stack.neighbours().get(0).state());
    }

    /** A stale entry whose unicast requests go unanswered is forgotten: the next packet asks everyone. */
    @Test
    public void aStaleEntryThatDoesNotAnswerItsChecksIsForgotten() throws Exception {
        f.resolvePeer();
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        f.clock.advanceMillis(61_000);
        send(s, "stale", PEER, 7);
        f.sent();
        for (int i = 0; i < 4; i++) {
            f.poll();
            f.clock.advanceMillis(1_000);
        }
        f.poll();
        List<byte[]> checks = f.sent();
        assertEquals("three unicast requests", 3, checks.size());
        assertEquals(List.of(), f.stack.neighbours());
        send(s, "again", PEER, 7);
        assertTrue(Frames.isArp(f.sent().get(0)));
    }

    @Test
    public void aStaleEntryNotUsedIsForgottenAfterAsLongAgain() throws Exception {
        f.resolvePeer();
        f.clock.advanceMillis(121_000);
        f.poll();
        assertEquals(List.of(), f.stack.neighbours());
        assertEquals("no request for an entry no one used", 0, f.sent().size());
    }

    @Test
    public void aHostClaimingOurAddressIsCountedAndNotLearnt() {
        MacAddress intruder = MacAddress.parse("02:00:00:00:00:66");
        f.receive(Frames.arpRequest(intruder, US, PEER));
        assertEquals(1, f.stack.counter(Counter.ARP_ADDRESS_CONFLICT));
        assertEquals(List.of(), f.stack.neighbours());
    }

    @Test
    public void aReplyFromAKnownHostUpdatesItsEntry() {
        f.resolvePeer();
        MacAddress moved = MacAddress.parse("02:00:00:00:00:02");
        f.receive(Frames.arp(Arp.Operation.REPLY, MacAddress.BROADCAST, moved, PEER, Arp.Repr.UNKNOWN, PEER));
        assertEquals(moved, f.stack.neighbours().get(0).mac());
        assertEquals(1, f.stack.counter(Counter.ARP_LEARNT));
    }

    @Test
    public void anInterfaceWithoutAnAddressIgnoresArp() {
        f.stack.configure("eth0", null, null);
        f.receive(Frames.arpRequest(PEER_MAC, PEER, US));
        assertEquals(List.of(), f.sent());
        assertEquals(1, f.stack.counter(Counter.ARP_NO_ADDRESS));
    }

    @Test
    public void changingTheAddressForgetsTheNeighboursAndAnnouncesTheNewOne() {
        f.resolvePeer();
        f.stack.configure("eth0", Ipv4Cidr.parse("10.0.2.16/24"), null);
        assertEquals(List.of(), f.stack.neighbours());
        assertEquals(Ipv4Address.parse("10.0.2.16").value(), Frames.arpOf(f.sent().get(0)).senderProtocol());
    }

    /**
     * The carrier gone, the neighbours go (the cable may be plugged into another network), as Linux's
     * neigh_carrier_down; back, the address is announced again: the announcement sent while it was down was lost.
     */
    @Test
    public void aCarrierLossForgetsTheNeighboursAndItsReturnAnnouncesTheAddress() {
        f.resolvePeer();
        assertEquals(1, f.stack.neighbours().size());

        f.stack.carrierChanged("eth0", false);
        assertEquals("neighbours after the carrier went", List.of(), f.stack.neighbours());
        f.stack.carrierChanged("eth0", true);

        List<byte[]> sent = f.sent();
        assertEquals("one announcement when the carrier came back", 1, sent.size());
        Arp.Packet arp = Frames.arpOf(sent.get(0));
        assertEquals(US.value(), arp.senderProtocol());
        assertEquals(US.value(), arp.targetProtocol());
    }

    static void send(UdpSocketImpl s, String text, Ipv4Address to, int port) throws Exception {
        s.send(ByteBuffer.wrap(text.getBytes()), new InetSocketAddress(to.toInetAddress(), port));
    }

    static String payload(byte[] frame) {
        var d = Frames.udpOf(frame);
        byte[] b = new byte[d.payloadLength()];
        d.buffer().get(d.payloadOffset(), b);
        return new String(b);
    }
}
