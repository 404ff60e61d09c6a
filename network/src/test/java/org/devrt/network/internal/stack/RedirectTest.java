package org.devrt.network.internal.stack;

import static org.devrt.network.internal.testing.Frames.OUR_MAC;
import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.PEER_MAC;
import static org.devrt.network.internal.testing.Frames.US;
import static org.devrt.network.internal.testing.Frames.ip;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.testing.StackFixture;
import org.devrt.network.internal.wire.Arp;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.wire.Ipv4Address;
import org.junit.Test;

/**
 * ICMP redirects (RFC 792; RFC 1122 3.2.2.2: a host MUST update its routing): taken from the current gateway for a
 * gateway on the same link, for five minutes; others refused. They were counted as an unknown type and ignored, so
 * traffic went through the worse gateway for ever.
 */
public class RedirectTest {
    private static final Ipv4Address FAR = ip("192.0.2.1");
    private static final Ipv4Address BETTER = ip("10.0.2.3");

    private final StackFixture f = new StackFixture();

    /** Sends a datagram to FAR (through the gateway) and returns its IP header and first 8 bytes, as a router quotes. */
    private byte[] sendToFar() throws Exception {
        f.stack.bindUdpSocket(0, 0).send(ByteBuffer.wrap("x".getBytes()), new InetSocketAddress(FAR.toInetAddress(), 53));
        byte[] sent = f.sent().get(0);
        return Arrays.copyOfRange(sent, 14, 14 + 28);
    }

    private static byte[] redirect(Ipv4Address from, Ipv4Address gateway, byte[] quoted) {
        ByteBuffer b = ByteBuffer.allocate(8 + quoted.length);
        b.put(8, quoted);
        new Icmp.Repr(Icmp.Type.REDIRECT, 1, gateway.value(), quoted.length)
                .emit(new Icmp.Packet().wrapForEmit(b, 0, b.capacity()));
        byte[] icmp = b.array();
        return Frames.ipv4(PEER_MAC, OUR_MAC, Ipv4.Repr.of(from, US, Ipv4.Protocol.ICMP, 64, icmp.length), icmp);
    }

    @Test
    public void aRedirectFromTheGatewayToAGatewayOnTheLinkIsTakenForFiveMinutes() throws Exception {
        f.resolvePeer();
        f.receive(redirect(PEER, BETTER, sendToFar()));
        assertEquals(1, f.stack.counter(Counter.ICMP_REDIRECT_TAKEN));
        Route r = f.stack.routeTo(FAR.value());
        assertEquals(BETTER.value(), r.gateway());
        assertEquals(Route.Kind.REDIRECT, r.kind());
        assertEquals(List.of(r), f.stack.redirectedRoutes());

        f.stack.bindUdpSocket(0, 0).send(ByteBuffer.wrap("y".getBytes()), new InetSocketAddress(FAR.toInetAddress(), 53));
        List<byte[]> sent = f.sent();
        assertEquals("the datagram waits while the better gateway is asked for", 1, sent.size());
        assertEquals(BETTER, Arp.Repr.parse(Frames.arpOf(sent.get(0))).targetProtocol());

        f.clock.advance(Duration.ofSeconds(301));
        assertEquals("back through the default route", PEER.value(), f.stack.routeTo(FAR.value()).gateway());
        assertEquals(List.of(), f.stack.redirectedRoutes());
    }

    @Test
    public void redirectsNotFromTheGatewayOrToAGatewayOffTheLinkAreRefused() throws Exception {
        f.resolvePeer();
        byte[] quoted = sendToFar();
        f.receive(redirect(ip("10.0.2.77"), BETTER, quoted)); // not the first hop to FAR
        f.receive(redirect(PEER, ip("10.0.9.1"), quoted)); // not on the link
        f.receive(redirect(PEER, US, quoted)); // ourselves
        assertEquals(3, f.stack.counter(Counter.ICMP_REDIRECT_REFUSED));
        assertEquals(PEER.value(), f.stack.routeTo(FAR.value()).gateway());
        assertNull(f.stack.redirectedRoutes().stream().findFirst().orElse(null));
    }
}
