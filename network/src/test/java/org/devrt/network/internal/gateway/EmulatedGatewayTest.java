package org.devrt.network.internal.gateway;

import static org.devrt.network.internal.testing.Frames.OUR_MAC;
import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.US;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.stack.EchoSocket;
import org.devrt.network.internal.stack.Stack;
import org.devrt.network.internal.stack.StackConfig;
import org.devrt.network.internal.testing.FakeClock;
import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.testing.QueueLink;
import org.devrt.network.internal.testing.StackFixture;
import org.devrt.network.internal.wire.Arp;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;
import org.junit.Test;

public class EmulatedGatewayTest {
    static final MacAddress GATEWAY_MAC = MacAddress.parse("52:55:0a:00:02:02");

    private final EmulatedGateway gateway = new EmulatedGateway(GATEWAY_MAC, PEER);
    private final List<byte[]> out = new ArrayList<>();
    private final FrameSink sink = f -> {
        byte[] b = new byte[f.remaining()];
        f.duplicate().get(b);
        out.add(b);
    };

    private void deliver(byte[] frame) {
        gateway.receive(ByteBuffer.wrap(frame), sink);
    }

    @Test
    public void answersArpRequestsForItsAddress() {
        deliver(Frames.arpRequest(OUR_MAC, US, PEER));
        assertEquals(1, out.size());
        assertEquals(OUR_MAC, Frames.ethernet(out.get(0)).destination());
        assertEquals(GATEWAY_MAC, Frames.ethernet(out.get(0)).source());
        assertEquals(60, out.get(0).length);
        assertEquals(new Arp.Repr(Arp.Operation.REPLY, GATEWAY_MAC, PEER, OUR_MAC, US),
                Arp.Repr.parse(Frames.arpOf(out.get(0))));
        assertEquals(1, gateway.arpAnswered());
    }

    /** A gateway given a new MAC: hosts kept sending to the old one until their entries aged out (a minute). */
    @Test
    public void itsAnnouncementIsAGratuitousArpThatHostsKnowingItsAddressLearnFrom() {
        StackFixture f = new StackFixture();
        f.resolvePeer(); // the host knows 10.0.2.2 by Frames.PEER_MAC
        MacAddress renewed = MacAddress.parse("52:55:0a:00:02:99");
        new EmulatedGateway(renewed, PEER).announce(sink);

        assertEquals(1, out.size());
        assertEquals(MacAddress.BROADCAST, Frames.ethernet(out.get(0)).destination());
        assertEquals(new Arp.Repr(Arp.Operation.REQUEST, renewed, PEER, Arp.Repr.UNKNOWN, PEER),
                Arp.Repr.parse(Frames.arpOf(out.get(0))));
        f.receive(out.get(0));
        assertEquals("the host's entry for the gateway", renewed, f.stack.neighbours().stream()
                .filter(n -> n.address().equals(PEER)).findFirst().orElseThrow().mac());
    }

    @Test
    public void answersEchoRequestsToItsAddress() throws Exception {
        byte[] request = Frames.echoRequest(US, PEER, 9, 3, "abcdefgh".getBytes());
        ByteBuffer b = ByteBuffer.wrap(request);
        b.put(0, GATEWAY_MAC.toBytes());
        b.put(6, OUR_MAC.toBytes());
        deliver(request);
        assertEquals(1, out.size());
        assertEquals(OUR_MAC, Frames.ethernet(out.get(0)).destination());
        Ipv4.Repr ip = Ipv4.Repr.parse(Frames.ipOf(out.get(0)));
        assertEquals(PEER, ip.source());
        assertEquals(US, ip.destination());
        Icmp.Repr icmp = Icmp.Repr.parse(Frames.icmpOf(out.get(0)));
        assertEquals(Icmp.Repr.echoReply(9, 3, 8), icmp);
    }

    @Test
    public void ignoresWhatIsNotForItOrNotAnswerable() {
        deliver(Frames.arpRequest(OUR_MAC, US, Ipv4Address.parse("10.0.2.3")));
        deliver(Frames.udp(US, 1, PEER, 53, new byte[4]));
        deliver(new byte[10]);
        byte[] bad = Frames.echoRequest(US, PEER, 9, 3, new byte[8]);
        bad[bad.length - 1] ^= 1;
        deliver(bad);
        assertEquals(0, out.size());
        assertEquals(4, gateway.ignored());
    }

    @Test
    public void aStackPingsTheGatewayThroughASwitchPort() throws Exception {
        FakeClock clock = new FakeClock();
        Stack stack = stackBehindTheGateway(clock);
        try (EchoSocket s = stack.openEcho()) {
            s.send(Ipv4Address.parse("10.0.2.2").value(), 1, 56);
            stack.poll(clock.getAsLong());
            stack.poll(clock.getAsLong());
            EchoSocket.Event e = s.receive(0);
            assertNotNull(e);
            assertTrue(e.isReply());
            assertEquals(PEER.value(), e.from());
        }
        assertEquals(1, gateway.echoAnswered());
        assertTrue(gateway.arpAnswered() >= 1);
    }

    /** ping -s 3000 10.0.2.2: the request comes in fragments, and the reply goes in fragments (it was ignored). */
    @Test
    public void aStackPingsTheGatewayWithMoreThanTheMtuCarriesAndBothWaysGoInFragments() throws Exception {
        FakeClock clock = new FakeClock();
        Stack stack = stackBehindTheGateway(clock);
        try (EchoSocket s = stack.openEcho()) {
            for (int size : new int[] {3000, 1473, 65507}) {
                s.send(Ipv4Address.parse("10.0.2.2").value(), size, size);
                stack.poll(clock.getAsLong());
                stack.poll(clock.getAsLong());
                EchoSocket.Event e = s.receive(0);
                assertNotNull("no reply to a ping of " + size + " bytes", e);
                assertTrue(e.isReply());
                assertEquals(size, e.sequence());
                assertEquals(size + 8, e.icmpLength());
            }
        }
        assertEquals(3, gateway.echoAnswered());
    }

    /** A fragment out of order, or of another datagram, drops the one being put together: nothing is answered. */
    @Test
    public void fragmentsOutOfOrderAreNotAnswered() {
        byte[] icmp = Frames.icmpMessage(Icmp.Repr.echoRequest(9, 3, 2000), new byte[2000]);
        byte[] first = toGateway(Frames.fragment(US, PEER, Ipv4.Protocol.ICMP, 5, icmp, 0, 1480, true));
        byte[] last = toGateway(Frames.fragment(US, PEER, Ipv4.Protocol.ICMP, 5, icmp, 1480, icmp.length - 1480,
                false));
        deliver(last);
        deliver(first);
        assertEquals(0, out.size());
        deliver(first);
        deliver(last);
        assertEquals("in order, answered", 2, out.size());
    }

    /** A stack whose eth0 (10.0.2.15/24, via 10.0.2.2) is a switch port with only the gateway behind it. */
    private Stack stackBehindTheGateway(FakeClock clock) {
        Stack stack = new Stack(StackConfig.DEFAULTS, clock, () -> { });
        stack.addInterface("eth0", new GatewayPort(OUR_MAC, gateway));
        stack.configure("eth0", Ipv4Cidr.parse("10.0.2.15/24"), PEER);
        stack.setUp("eth0", true);
        return stack;
    }

    private static byte[] toGateway(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.put(0, GATEWAY_MAC.toBytes());
        b.put(6, OUR_MAC.toBytes());
        return frame;
    }

    /** A switch port with only the gateway behind it. */
    private static final class GatewayPort extends QueueLink {
        private final EmulatedGateway gateway;

        GatewayPort(MacAddress mac, EmulatedGateway gateway) {
            super(mac);
            this.gateway = gateway;
        }

        @Override
        public boolean transmit(ByteBuffer frame) {
            gateway.receive(frame, incoming::push);
            return true;
        }
    }
}
