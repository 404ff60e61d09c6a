package org.devrt.network.internal.stack;

import static org.devrt.network.internal.stack.ArpResolutionTest.payload;
import static org.devrt.network.internal.stack.ArpResolutionTest.send;
import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.US;
import static org.devrt.network.internal.testing.Frames.ip;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.testing.FakeClock;
import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.testing.StackFixture;
import org.devrt.network.internal.testing.TapLink;
import org.devrt.network.internal.testing.TwoStacks;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;
import org.junit.Test;

public class UdpDeliveryTest {
    private final StackFixture f = new StackFixture(StackConfig.DEFAULTS.withUdpQueue(2, 1024));

    @Test
    public void aDatagramReachesTheSocketBoundToItsPortWithItsSender() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        f.receive(Frames.udp(PEER, 1234, US, 5000, "hello".getBytes()));
        ByteBuffer into = ByteBuffer.allocate(100);
        InetSocketAddress from = s.receive(into, Duration.ZERO);
        assertEquals(new InetSocketAddress(PEER.toInetAddress(), 1234), from);
        assertEquals("hello", new String(into.array(), 0, into.position()));
        assertEquals(1, f.stack.counter(Counter.UDP_DELIVERED));
    }

    /**
     * A caller may synchronize on the socket it was given (to pair a send with its receive): the stack, which
     * delivers under its own lock, must not wait for that monitor, or the caller's send, which takes the stack's
     * lock, would deadlock every thread of the stack.
     */
    @Test
    public void deliveryDoesNotWaitForACallerHoldingTheSocketsMonitor() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (s) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.start();
        held.await();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> delivery = pool.submit(() -> f.receive(Frames.udp(PEER, 1234, US, 5000, "hi".getBytes())));
            try {
                delivery.get(2, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("the stack waits for the socket's monitor, which a caller holds");
            }
        } finally {
            release.countDown();
            holder.join();
            pool.shutdown();
        }
        ByteBuffer into = ByteBuffer.allocate(10);
        s.receive(into, Duration.ofSeconds(1));
        assertEquals("hi", new String(into.array(), 0, into.position()));
    }

    @Test
    public void aSocketBoundToALoopbackAddressCannotSendOutOfAnotherInterface() throws Exception {
        f.resolvePeer();
        UdpSocketImpl lo = f.stack.bindUdpSocket(ip("127.0.0.1").value(), 5000);
        IOException e = org.junit.Assert.assertThrows(IOException.class,
                () -> lo.send(ByteBuffer.wrap("x".getBytes()), new InetSocketAddress(PEER.toInetAddress(), 53)));
        assertTrue(e.getMessage(), e.getMessage().contains("a loopback address never leaves the host"));
        assertTrue("nothing sent", f.sent().isEmpty());
    }

    @Test
    public void socketsOnOnePortAndDifferentAddressesEachGetTheirOwn() throws Exception {
        UdpSocketImpl eth0 = f.stack.bindUdpSocket(US.value(), 5000);
        UdpSocketImpl lo = f.stack.bindUdpSocket(ip("127.0.0.1").value(), 5000);
        f.receive(Frames.udp(PEER, 1, US, 5000, "x".getBytes()));
        assertEquals(1, eth0.receiveQueueBytes());
        assertEquals(0, lo.receiveQueueBytes());
    }

    @Test
    public void aClosedPortAnswersPortUnreachableQuotingHeaderAndEightBytes() {
        f.resolvePeer();
        byte[] offending = Frames.udp(PEER, 1234, US, 9, "0123456789".getBytes());
        f.receive(offending);
        List<byte[]> sent = f.sent();
        assertEquals(1, sent.size());
        Ipv4.Packet ip = Frames.ipOf(sent.get(0));
        assertEquals(US.value(), ip.source());
        assertEquals(PEER.value(), ip.destination());
        Icmp.Packet icmp = Frames.icmpOf(sent.get(0));
        assertTrue(icmp.checksumValid());
        assertEquals(Icmp.Type.DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(Icmp.PORT_UNREACHABLE, icmp.code());
        assertEquals(0, icmp.restOfHeader());
        byte[] quoted = new byte[icmp.dataLength()];
        icmp.buffer().get(icmp.dataOffset(), quoted);
        assertArrayEquals(Arrays.copyOfRange(offending, 14, 14 + 20 + 8), quoted);
        assertEquals(1, f.stack.counter(Counter.UDP_NO_SOCKET));
    }

    @Test
    public void aBroadcastToAClosedPortGetsNoError() {
        f.resolvePeer();
        f.receive(Frames.udp(PEER, 68, ip("10.0.2.255"), 67, new byte[4]));
        assertEquals(List.of(), f.sent());
        assertEquals(1, f.stack.counter(Counter.UDP_NO_SOCKET));
    }

    @Test
    public void icmpErrorsAreRateLimited() {
        f.resolvePeer();
        for (int i = 0; i < 150; i++) {
            f.tap.inject(Frames.udp(PEER, 1234, US, 9, new byte[1]));
        }
        f.poll();
        f.poll();
        f.poll();
        assertEquals("100 a second", 100, f.sent().size());
        assertEquals(50, f.stack.counter(Counter.TX_ICMP_RATE_LIMITED));
        f.clock.advanceMillis(100);
        f.receive(Frames.udp(PEER, 1234, US, 9, new byte[1]));
        assertEquals("a tenth of a second later: 10 more allowed", 1, f.sent().size());
    }

    @Test
    public void theReceiveQueueIsBoundedAndCountsWhatItDrops() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        for (int i = 0; i < 3; i++) {
            f.tap.inject(Frames.udp(PEER, 1234, US, 5000, ("d" + i).getBytes()));
        }
        f.poll();
        assertEquals(2, f.stack.counter(Counter.UDP_DELIVERED));
        assertEquals(1, f.stack.counter(Counter.UDP_QUEUE_FULL));
        assertEquals("d0", receive(s));
        assertEquals("d1", receive(s));
        try {
            s.receive(ByteBuffer.allocate(10), Duration.ofMillis(1));
            fail();
        } catch (SocketTimeoutException expected) {
        }
    }

    @Test
    public void aBadChecksumIsDroppedAndAZeroChecksumAccepted() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        byte[] bad = Frames.udp(PEER, 1234, US, 5000, "abc".getBytes());
        bad[bad.length - 1] ^= 0x40;
        byte[] none = Frames.udp(PEER, 1234, US, 5000, "abc".getBytes());
        none[14 + 20 + 6] = 0;
        none[14 + 20 + 7] = 0;
        f.receive(bad, none);
        assertEquals(1, f.stack.counter(Counter.UDP_BAD_CHECKSUM));
        assertEquals("abc", receive(s));
    }

    @Test
    public void whatDoesNotFitTheCallersBufferIsDiscarded() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        f.receive(Frames.udp(PEER, 1234, US, 5000, "truncated".getBytes()));
        ByteBuffer small = ByteBuffer.allocate(4);
        s.receive(small, Duration.ZERO);
        assertEquals("trun", new String(small.array()));
        assertEquals(0, s.receiveQueueBytes());
    }

    @Test
    public void bindingRefusesTakenPortsAndForeignAddressesAndPicksEphemeralPorts() throws Exception {
        f.stack.bindUdpSocket(0, 5000);
        assertBindFails(0, 5000, "Address already in use");
        assertBindFails(US.value(), 5000, "Address already in use");
        assertBindFails(ip("10.9.9.9").value(), 6000, "Cannot assign requested address: 10.9.9.9");
        f.stack.bindUdpSocket(US.value(), 6000);
        f.stack.bindUdpSocket(ip("127.0.0.1").value(), 6000);
        int first = f.stack.bindUdpSocket(0, 0).port;
        assertTrue("in Linux's ephemeral range: " + first,
                first >= UdpTable.EPHEMERAL_FIRST && first <= UdpTable.EPHEMERAL_LAST);
    }

    /** IP identifications start at a random point (per destination, as Linux's ip_idents): not at 0 in every stack. */
    @Test
    public void ipIdentificationsStartAtARandomPoint() throws Exception {
        java.util.Set<Integer> firsts = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            StackFixture g = new StackFixture();
            g.resolvePeer();
            g.stack.bindUdpSocket(0, 5000).send(ByteBuffer.wrap("x".getBytes()),
                    new InetSocketAddress(PEER.toInetAddress(), 53));
            firsts.add(Frames.ipOf(g.sent().get(0)).identification());
        }
        assertTrue("three stacks, three first identifications: " + firsts, firsts.size() > 1);
    }

    /** RFC 6056: the next ephemeral port is not the last one plus one, so a forged answer cannot aim at it. */
    @Test
    public void ephemeralPortsAreNotSequential() throws Exception {
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        int sequential = 0;
        int last = -1;
        for (int i = 0; i < 50; i++) {
            int port = f.stack.bindUdpSocket(0, 0).port;
            assertTrue(port >= UdpTable.EPHEMERAL_FIRST && port <= UdpTable.EPHEMERAL_LAST);
            sequential += port == last + 1 ? 1 : 0;
            last = port;
            ports.add(port);
        }
        assertEquals("50 different ports", 50, ports.size());
        assertTrue(sequential + " of 49 ports followed the one before: " + ports, sequential < 5);
    }

    @Test
    public void closingFreesThePortAndWakesAReceiver() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        Thread closer = new Thread(() -> {
            sleep(50);
            s.close();
        });
        closer.start();
        try {
            s.receive(ByteBuffer.allocate(10), Duration.ofSeconds(10));
            fail();
        } catch (IOException e) {
            assertEquals("Socket is closed", e.getMessage());
        }
        closer.join();
        assertFalse(s.isOpen());
        f.stack.bindUdpSocket(0, 5000);
    }

    @Test
    public void aClosedSocketReceivesNothingOfWhatWasQueued() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        f.receive(Frames.udp(PEER, 1234, US, 5000, "stale".getBytes()));
        s.close();
        IOException e = assertThrows(IOException.class, () -> s.receive(ByteBuffer.allocate(10), Duration.ZERO));
        assertEquals("Socket is closed", e.getMessage()); // it returned the queued datagram, as if still open
    }

    @Test
    public void socketsBoundToAnInterfaceFailWhenItGoesAway() throws Exception {
        UdpSocketImpl bound = f.stack.bindUdpSocket(US.value(), 5000);
        UdpSocketImpl any = f.stack.bindUdpSocket(0, 5001);
        f.stack.removeInterface("eth0", "interface eth0 went away");
        try {
            bound.receive(ByteBuffer.allocate(10), Duration.ofSeconds(5));
            fail();
        } catch (IOException e) {
            assertEquals("interface eth0 went away", e.getMessage());
        }
        try {
            send(bound, "x", PEER, 7);
            fail();
        } catch (IOException e) {
            assertEquals("interface eth0 went away", e.getMessage());
        }
        assertTrue(any.isOpen());
        try {
            send(any, "x", PEER, 7);
            fail();
        } catch (IOException e) {
            assertEquals("Network is unreachable", e.getMessage());
        }
    }

    /**
     * An interface given another address: a socket bound to the old one cannot send from it (it went out with a
     * source this host no longer has, speaking as whoever holds it now), as Linux refuses it; the address back, it
     * sends again.
     */
    @Test
    public void aSocketBoundToAnAddressTheHostNoLongerHasCannotSendFromIt() throws Exception {
        UdpSocketImpl bound = f.stack.bindUdpSocket(US.value(), 5000);
        f.resolvePeer();
        f.stack.configure("eth0", Ipv4Cidr.parse("10.0.2.16/24"), ip("10.0.2.2"));
        f.sent();

        IOException e = assertThrows(IOException.class, () -> send(bound, "x", PEER, 7));
        assertEquals("Cannot assign requested address: " + US + " is no longer an address of this host",
                e.getMessage());
        assertEquals("nothing sent from " + US, List.of(), f.sent());

        f.stack.configure("eth0", Ipv4Cidr.parse(US + "/24"), ip("10.0.2.2"));
        f.sent(); // the interface's announcement of its address
        send(bound, "x", PEER, 7);
        assertEquals("sent again once the address is back", 1, f.sent().size());
    }

    @Test
    public void aDatagramLargerThanTheMtuGoesInFragmentsAndOneLargerThanIpv4CarriesIsRefused() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        f.resolvePeer();
        InetSocketAddress to = new InetSocketAddress(PEER.toInetAddress(), 7);
        s.send(ByteBuffer.allocate(1472), to);
        List<byte[]> one = f.sent();
        assertEquals(1, one.size());
        assertEquals(14 + 1500, one.get(0).length);
        assertFalse(Frames.ipOf(one.get(0)).isFragment());

        byte[] payload = new byte[65507]; // the most one IPv4 datagram carries
        new java.util.Random(1).nextBytes(payload);
        s.send(ByteBuffer.wrap(payload), to);
        List<byte[]> fragments = f.sent();
        assertEquals("fragments of 1480 bytes for 65515", 45, fragments.size());
        byte[] udp = Frames.reassembled(fragments);
        assertArrayEquals(Frames.udpDatagram(US, 5000, PEER, 7, payload), udp);

        try {
            s.send(ByteBuffer.allocate(65508), to);
            fail();
        } catch (IOException e) {
            assertEquals("Message too long (one IPv4 datagram carries at most 65507 bytes of UDP data)",
                    e.getMessage());
        }
    }

    /** Every fragment of the largest datagram waits for the next hop's first ARP reply; none is lost. */
    @Test
    public void aDatagramInFragmentsToANextHopNotYetResolvedGoesWholeOnceItIs() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        byte[] payload = new byte[65507];
        new java.util.Random(2).nextBytes(payload);
        s.send(ByteBuffer.wrap(payload), new InetSocketAddress(PEER.toInetAddress(), 7));
        assertEquals("the ARP request alone goes out", 1, f.sent().size());
        f.receive(Frames.arpReply(Frames.PEER_MAC, PEER, Frames.OUR_MAC, US));
        List<byte[]> fragments = f.sent().stream().filter(frame -> !Frames.isArp(frame)).toList();
        assertEquals(45, fragments.size());
        assertArrayEquals(Frames.udpDatagram(US, 5000, PEER, 7, payload), Frames.reassembled(fragments));
        assertEquals(0, f.stack.counter(Counter.TX_ARP_QUEUE_FULL));
    }

    @Test
    public void theSenderAddressIsReusedForTheSamePeer() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        f.receive(Frames.udp(PEER, 1234, US, 5000, "a".getBytes()), Frames.udp(PEER, 1234, US, 5000, "b".getBytes()));
        InetSocketAddress first = s.receive(ByteBuffer.allocate(10), Duration.ZERO);
        assertTrue(first == s.receive(ByteBuffer.allocate(10), Duration.ZERO));
    }

    @Test
    public void twoStacksExchangeDatagramsBothWays() throws Exception {
        TwoStacks two = new TwoStacks();
        UdpSocketImpl client = two.a.bindUdpSocket(0, 0);
        UdpSocketImpl server = two.b.bindUdpSocket(0, 7);
        send(client, "ping", TwoStacks.B, 7);
        two.exchange(3);
        ByteBuffer into = ByteBuffer.allocate(64);
        InetSocketAddress from = server.receive(into, Duration.ZERO);
        assertEquals(new InetSocketAddress(TwoStacks.A.toInetAddress(), client.port), from);
        server.send(ByteBuffer.wrap("pong".getBytes()), from);
        two.exchange(1);
        assertEquals("pong", receive(client));
    }

    @Test
    public void sendingToTheLimitedBroadcastGoesToEveryone() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 68);
        s.setBroadcast(true);
        send(s, "hi", Ipv4Address.BROADCAST, 67);
        byte[] frame = f.sent().get(0);
        assertTrue(Frames.ethernet(frame).destinationIsBroadcast());
        assertEquals("hi", payload(frame));
    }

    /**
     * 255.255.255.255 leaves through the interface of the address the socket is bound to, and from the wildcard
     * through the default route's interface, as Linux sends it; both went out of the interface added first.
     */
    @Test
    public void aLimitedBroadcastLeavesThroughTheBoundAddresssInterfaceOrTheDefaultRoutes() throws Exception {
        Stack stack = new Stack(StackConfig.DEFAULTS, new FakeClock(), () -> { });
        TapLink lab =
                new TapLink(MacAddress.parse("52:54:00:00:00:33"));
        TapLink wan =
                new TapLink(Frames.OUR_MAC);
        stack.addInterface("eth1", lab); // first, without a gateway
        stack.configure("eth1", Ipv4Cidr.parse("10.0.3.15/24"), null);
        stack.setUp("eth1", true);
        stack.addInterface("eth0", wan);
        stack.configure("eth0", Ipv4Cidr.parse(US + "/24"), ip("10.0.2.2"));
        stack.setUp("eth0", true);
        lab.takeSent();
        wan.takeSent();

        UdpSocketImpl bound = stack.bindUdpSocket(ip("10.0.3.15").value(), 0);
        bound.setBroadcast(true);
        send(bound, "lab", Ipv4Address.BROADCAST, 9);
        assertEquals("out of eth1", 1, lab.takeSent().size());
        assertEquals("not out of eth0", 0, wan.takeSent().size());

        UdpSocketImpl any = stack.bindUdpSocket(0, 0);
        any.setBroadcast(true);
        send(any, "any", Ipv4Address.BROADCAST, 9);
        List<byte[]> out = wan.takeSent();
        assertEquals("out of eth0, the default route's", 1, out.size());
        assertEquals(US.value(), Frames.ipOf(out.get(0)).source());
        assertEquals("not out of eth1", 0, lab.takeSent().size());
    }

    /** As Linux: a broadcast this host sends reaches its own sockets on the port too, and only those it should. */
    @Test
    public void aBroadcastSentIsAlsoReceivedByThisHostsSocketOnThePort() throws Exception {
        UdpSocketImpl listener = f.stack.bindUdpSocket(0, 6000);
        UdpSocketImpl boundToUnicast = f.stack.bindUdpSocket(US.value(), 6001);
        UdpSocketImpl sender = f.stack.bindUdpSocket(0, 0);
        sender.setBroadcast(true);
        Ipv4Address subnetBroadcast = ip("10.0.2.255");
        send(sender, "to the subnet", subnetBroadcast, 6000);
        send(sender, "to everyone", Ipv4Address.BROADCAST, 6000);
        send(sender, "not for a unicast-bound socket", subnetBroadcast, 6001);
        assertEquals("each went out on the wire", 3, f.sent().size());
        f.poll(); // the loopback's frames come in

        assertEquals("to the subnet", receive(listener));
        assertEquals("to everyone", receive(listener));
        assertEquals("nothing more for the listener", 0, listener.receiveQueueBytes());
        assertEquals("a socket bound to 10.0.2.15 gets no broadcast, as on Linux", 0, boundToUnicast.receiveQueueBytes());
        assertEquals(3, f.stack.counter(Counter.BROADCAST_LOOPED));
        assertEquals("no port unreachable for a broadcast", 0, f.sent().size());
    }

    /** As Linux (EACCES) and DatagramChannel: a broadcast needs SO_BROADCAST; a send without it went out. */
    @Test
    public void aBroadcastIsRefusedUnlessTheSocketAllowsIt() throws Exception {
        UdpSocketImpl sender = f.stack.bindUdpSocket(0, 0);
        for (String to : List.of("10.0.2.255", "255.255.255.255")) {
            IOException e = org.junit.Assert.assertThrows(IOException.class, () -> send(sender, "x", ip(to), 9));
            assertEquals("udp to " + to, "Permission denied: " + to + " is a broadcast address, and the socket is not"
                    + " allowed to send to one (setBroadcast, SO_BROADCAST)", e.getMessage());
        }
        assertEquals("nothing sent", List.of(), f.sent());
        sender.setBroadcast(true);
        send(sender, "x", ip("10.0.2.255"), 9);
        assertEquals("sent once allowed", 1, f.sent().size());
    }

    /** Linux sends to one of its own addresses from that address; only lo's broadcast address is no source. */
    @Test
    public void aDatagramToThisHostsOwnAddressComesFromThatAddress() throws Exception {
        UdpSocketImpl listener = f.stack.bindUdpSocket(0, 6100);
        send(f.stack.bindUdpSocket(0, 0), "to myself", US, 6100);
        f.poll();
        ByteBuffer into = ByteBuffer.allocate(100);
        java.net.InetSocketAddress from = listener.receive(into, Duration.ZERO);
        assertEquals("the source of a datagram to " + US, US.toInetAddress(), from.getAddress());
    }

    @Test
    public void aUnicastSentIsNotLoopedBack() throws Exception {
        f.resolvePeer();
        f.sent();
        UdpSocketImpl listener = f.stack.bindUdpSocket(0, 6000);
        send(f.stack.bindUdpSocket(0, 0), "to the peer", PEER, 6000);
        f.poll();
        assertEquals(0, listener.receiveQueueBytes());
        assertEquals(0, f.stack.counter(Counter.BROADCAST_LOOPED));
    }

    /** Both went on the wire to the gateway's MAC: 0.0.0.0 is no destination, and multicast is not mapped. */
    @Test
    public void noDatagramOrEchoRequestGoesToTheUnspecifiedAddressOrAMulticastGroup() throws Exception {
        f.resolvePeer();
        f.sent();
        UdpSocketImpl socket = f.stack.bindUdpSocket(0, 0);
        try (EchoSocket echo = f.stack.openEcho()) {
            for (String to : List.of("0.0.0.0", "224.0.0.1", "239.255.255.250")) {
                String expected = to.equals("0.0.0.0") ? "Invalid argument: 0.0.0.0 is not a destination address"
                        : "Invalid argument: " + to + " is a multicast address; devrt's stack does not send multicast";
                IOException e = org.junit.Assert.assertThrows(IOException.class, () -> send(socket, "x", ip(to), 9));
                assertEquals("udp to " + to, expected, e.getMessage());
                e = org.junit.Assert.assertThrows(IOException.class, () -> echo.send(ip(to).value(), 1, 56));
                assertEquals("echo to " + to, expected, e.getMessage());
            }
        }
        assertEquals("nothing sent", List.of(), f.sent());
    }

    private static String receive(UdpSocketImpl s) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(100);
        s.receive(into, Duration.ZERO);
        return new String(into.array(), 0, into.position());
    }

    private void assertBindFails(int address, int port, String message) {
        try {
            f.stack.bindUdpSocket(address, port);
            fail();
        } catch (IOException e) {
            assertEquals(message, e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
