package org.devrt.network.internal.stack;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.iface.Counters;
import org.devrt.network.internal.iface.Interface;
import org.devrt.network.internal.wire.Bytes;
import org.devrt.network.internal.wire.Ethernet;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Udp;

/**
 * Everything the stack sends over IPv4: the packet is built in the outgoing interface's transmit buffer (IPv4 header
 * at byte 14, payload at 34), routed, and handed to the interface, which resolves the next hop. A datagram larger
 * than the interface's MTU is built in a buffer of its own instead and sent in fragments (RFC 791 3.2: 8-byte
 * multiples, one identification, MF on all but the last), each copied into the transmit buffer in turn: a UDP
 * datagram or an echo request up to 65535 bytes, and the reply to an echo request that came in fragments. ICMP
 * errors follow RFC 1122 3.2.2 (never about an ICMP error, a broadcast, a non-first fragment or an odd source)
 * under a token-bucket rate limit. Called under the stack's lock; allocates nothing but that buffer, once.
 */
final class IpOutput {
    static final int IP_AT = Ethernet.HEADER_LEN;
    static final int PAYLOAD_AT = IP_AT + Ipv4.MIN_HEADER_LEN;
    private static final long SECOND = 1_000_000_000L;

    private final StackConfig config;
    private final Counters counters;
    private final Routes routes;
    private final Ipv4.Packet ip = new Ipv4.Packet();
    private final Icmp.Packet icmp = new Icmp.Packet();
    private final Udp.Datagram udp = new Udp.Datagram();
    /** Where a copy of each broadcast goes, so that this host's own sockets have it too; null before it is known. */
    private Interface loopback;
    /** Where a datagram larger than the MTU is built (payload at {@link #PAYLOAD_AT}); made on first need. */
    private ByteBuffer large;
    /**
     * IP identification counters, one per bucket of destination and protocol, each from a random start (Linux's
     * ip_idents): the identifications one host sees say nothing of those sent to another, and a datagram's fragments
     * cannot be guessed and forged by a third host. One global counter from 0 gave both away. Made on first use.
     */
    private int[] idents;
    private int identSecret;
    private static final int IDENT_BUCKETS = 2048;
    private long icmpBudgetNanos = SECOND;
    private long icmpBudgetAt;

    IpOutput(StackConfig config, Counters counters, Routes routes) {
        this.config = config;
        this.counters = counters;
        this.routes = routes;
    }

    /**
     * A broadcast sent on a network is also received by this host (as Linux's ip_mc_output loops a copy back through
     * {@code lo}): a socket of its own bound to the port gets it, as every other host's on the network does.
     */
    void loopBroadcastsThrough(Interface lo) {
        this.loopback = lo;
    }

    /** The route to {@code destination} from no particular address (see {@link Routes#forLimitedBroadcast}). */
    Route route(int destination) {
        return route(destination, 0);
    }

    /** The route to {@code destination} from {@code source} (0: any), which picks 255.255.255.255's interface. */
    Route route(int destination, int source) {
        return destination == -1 ? routes.forLimitedBroadcast(source) : routes.lookup(destination);
    }

    /** Sends a UDP datagram with the payload's remaining bytes; throws what the socket's caller should see. */
    void udp(int source, int sourcePort, int destination, int destinationPort, ByteBuffer payload, long now)
            throws IOException {
        Route r = routeOrThrow(destination, source);
        int from = source != 0 ? source : r.sourceFor(destination);
        if (Ipv4Address.isLoopback(from) && !r.via().isLoopback()) { // Linux's __mkroute_output: EINVAL
            throw new IOException("Invalid argument: a socket bound to " + Ipv4Address.format(from) + " cannot send to "
                    + Ipv4Address.format(destination) + " (out of " + r.via().name()
                    + "): a loopback address never leaves the host");
        }
        int length = payload.remaining();
        checkSize(Udp.HEADER_LEN, length, "UDP");
        ByteBuffer tx = buffer(r, Udp.HEADER_LEN + length);
        Bytes.copy(payload, payload.position(), tx, PAYLOAD_AT + Udp.HEADER_LEN, length);
        payload.position(payload.limit());
        udp.wrapForEmit(tx, PAYLOAD_AT, PAYLOAD_AT + Udp.HEADER_LEN + length);
        udp.setSourcePort(sourcePort);
        udp.setDestinationPort(destinationPort);
        udp.setLengthField(Udp.HEADER_LEN + length);
        udp.fillChecksum(from, destination);
        send(r, tx, from, destination, Ipv4.Protocol.UDP, Udp.HEADER_LEN + length, now);
    }

    /** Sends an echo request whose data is the bytes 0, 1, 2, ... */
    void echoRequest(int identifier, int sequence, int destination, int dataLength, long now) throws IOException {
        Route r = routeOrThrow(destination);
        checkSize(Icmp.HEADER_LEN, dataLength, "echo");
        ByteBuffer tx = buffer(r, Icmp.HEADER_LEN + dataLength);
        for (int i = 0; i < dataLength; i++) {
            tx.put(PAYLOAD_AT + Icmp.HEADER_LEN + i, (byte) i);
        }
        icmp.wrapForEmit(tx, PAYLOAD_AT, PAYLOAD_AT + Icmp.HEADER_LEN + dataLength);
        icmp.setType(Icmp.Type.ECHO_REQUEST);
        icmp.setCode(0);
        icmp.setIdentifier(identifier);
        icmp.setSequence(sequence);
        icmp.fillChecksum();
        send(r, tx, r.sourceFor(destination), destination, Ipv4.Protocol.ICMP, Icmp.HEADER_LEN + dataLength, now);
    }

    /** Answers the echo request {@code request} in {@code packet}: same identifier, sequence and data. */
    void echoReply(Ipv4.Packet packet, Icmp.Packet request, long now) {
        Route r = route(packet.source());
        if (r == null) {
            counters.add(Counter.TX_NO_ROUTE);
            return;
        }
        int length = request.length(); // a reassembled request fits in one datagram: so does its reply
        ByteBuffer tx = buffer(r, length);
        Bytes.copy(request.buffer(), request.start(), tx, PAYLOAD_AT, length);
        icmp.wrapForEmit(tx, PAYLOAD_AT, PAYLOAD_AT + length);
        icmp.setType(Icmp.Type.ECHO_REPLY);
        icmp.fillChecksum();
        send(r, tx, packet.destination(), packet.source(), Ipv4.Protocol.ICMP, length, now);
    }

    /**
     * Reports {@code offending} (checked; received on {@code in}) to its sender with an ICMP error quoting its header
     * and first 8 payload bytes, unless RFC 1122 3.2.2 forbids it or the rate limit says no.
     */
    void icmpError(Interface in, Ipv4.Packet offending, boolean linkBroadcast, int type, int code, long now) {
        int destination = offending.destination();
        if (linkBroadcast || in.isBroadcast(destination) || Ipv4Address.isMulticast(destination)
                || !Ipv4Address.isUnicastSource(offending.source()) || offending.fragmentOffset() != 0
                || isAboutAnIcmpError(offending)) {
            return;
        }
        if (!takeIcmpToken(now)) {
            counters.add(Counter.TX_ICMP_RATE_LIMITED);
            return;
        }
        Route r = route(offending.source());
        if (r == null) {
            counters.add(Counter.TX_NO_ROUTE);
            return;
        }
        int quoted = offending.headerLength() + Math.min(Icmp.QUOTED_PAYLOAD_LEN, offending.payloadLength());
        ByteBuffer tx = buffer(r, Icmp.HEADER_LEN + quoted);
        Bytes.copy(offending.buffer(), offending.start(), tx, PAYLOAD_AT + Icmp.HEADER_LEN, quoted);
        icmp.wrapForEmit(tx, PAYLOAD_AT, PAYLOAD_AT + Icmp.HEADER_LEN + quoted);
        icmp.setType(Icmp.Type.of(type));
        icmp.setCode(code);
        icmp.setRestOfHeader(0);
        icmp.fillChecksum();
        send(r, tx, destination, offending.source(), Ipv4.Protocol.ICMP, Icmp.HEADER_LEN + quoted, now);
    }

    private boolean isAboutAnIcmpError(Ipv4.Packet p) {
        if (p.protocolValue() != Ipv4.Protocol.ICMP.value()) {
            return false;
        }
        return p.payloadLength() < 1 || Icmp.Type.of(Bytes.u8(p.buffer(), p.payloadOffset())).isError();
    }

    private boolean takeIcmpToken(long now) {
        if (config.icmpErrorsPerSecond() == 0) {
            return false;
        }
        icmpBudgetNanos = Math.min(SECOND, icmpBudgetNanos + Math.max(0, now - icmpBudgetAt));
        icmpBudgetAt = now;
        long cost = SECOND / config.icmpErrorsPerSecond();
        if (icmpBudgetNanos < cost) {
            return false;
        }
        icmpBudgetNanos -= cost;
        return true;
    }

    private Route routeOrThrow(int destination) throws IOException {
        return routeOrThrow(destination, 0);
    }

    private Route routeOrThrow(int destination, int source) throws IOException {
        if (destination == 0) { // RFC 1122 3.2.1.3: never a destination; it went to the gateway
            throw new IOException("Invalid argument: 0.0.0.0 is not a destination address");
        }
        if (Ipv4Address.isMulticast(destination)) { // it went to the gateway's MAC, not 01:00:5e:...
            throw new IOException("Invalid argument: " + Ipv4Address.format(destination)
                    + " is a multicast address; devrt's stack does not send multicast");
        }
        Route r = route(destination, source);
        if (r == null) {
            counters.add(Counter.TX_NO_ROUTE);
            throw new IOException("Network is unreachable");
        }
        return r;
    }

    /** At most what one IPv4 datagram carries: 65535 bytes less its 20-byte header. */
    static final int MAX_PAYLOAD = Ipv4.MAX_PACKET_LEN - Ipv4.MIN_HEADER_LEN;

    /** Refuses data that one datagram cannot carry behind a {@code headerLength}-byte header of {@code kind}. */
    private void checkSize(int headerLength, int dataLength, String kind) throws IOException {
        int most = MAX_PAYLOAD - headerLength;
        if (dataLength > most) {
            counters.add(Counter.TX_TOO_BIG);
            throw new IOException("Message too long (one IPv4 datagram carries at most " + most + " bytes of "
                    + kind + " data)");
        }
    }

    /**
     * Where to build a payload of {@code payloadLength} bytes, at {@link #PAYLOAD_AT}: the interface's transmit
     * buffer when one packet carries it, else the buffer {@link #send} takes the fragments from.
     */
    private ByteBuffer buffer(Route r, int payloadLength) {
        if (Ipv4.MIN_HEADER_LEN + payloadLength <= r.via().mtu()) {
            return r.via().txBuffer();
        }
        if (large == null) {
            large = ByteBuffer.allocate(PAYLOAD_AT + MAX_PAYLOAD);
        }
        return large.clear();
    }

    /** A copy of the broadcast built at {@link #PAYLOAD_AT} of {@code built}, whole, into the loopback. */
    private void loopBack(ByteBuffer built, int source, int destination, Ipv4.Protocol protocol, int payloadLength,
            int id, long now) {
        if (Ipv4.MIN_HEADER_LEN + payloadLength > loopback.mtu()) {
            return;
        }
        ByteBuffer tx = loopback.txBuffer();
        Bytes.copy(built, PAYLOAD_AT, tx, PAYLOAD_AT, payloadLength);
        ip.wrapForEmit(tx, IP_AT, IP_AT + Ipv4.MIN_HEADER_LEN + payloadLength);
        ip.emitHeader(source, destination, protocol, config.ttl(), id, payloadLength);
        counters.add(Counter.BROADCAST_LOOPED);
        loopback.sendIpv4(Ipv4.MIN_HEADER_LEN + payloadLength, destination, now);
    }

    private int nextIdentification(int destination, int protocol) {
        if (idents == null) {
            idents = new int[IDENT_BUCKETS];
            for (int i = 0; i < IDENT_BUCKETS; i++) {
                idents[i] = Unpredictable.nextInt();
            }
            identSecret = Unpredictable.nextInt();
        }
        int h = (destination ^ identSecret) * 0x9E3779B1 + protocol;
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return idents[h & (IDENT_BUCKETS - 1)]++ & 0xffff;
    }

    /**
     * Puts the IPv4 header before the payload built at {@link #PAYLOAD_AT} of {@code built} (see {@link #buffer})
     * and hands the packet to the interface; or, when it is larger than the MTU, each fragment in turn. Once a
     * fragment is dropped (ARP's queue full) the rest are not sent: the peer could not reassemble the datagram.
     */
    private void send(Route r, ByteBuffer built, int source, int destination, Ipv4.Protocol protocol,
            int payloadLength, long now) {
        Interface via = r.via();
        boolean broadcast = via.isBroadcast(destination);
        int nextHop = broadcast ? destination : r.nextHop(destination);
        int id = nextIdentification(destination, protocol.value());
        if (broadcast && loopback != null && via != loopback && loopback.isUp()) {
            loopBack(built, source, destination, protocol, payloadLength, id, now);
        }
        if (Ipv4.MIN_HEADER_LEN + payloadLength <= via.mtu()) {
            int total = Ipv4.MIN_HEADER_LEN + payloadLength;
            ip.wrapForEmit(via.txBuffer(), IP_AT, IP_AT + total);
            ip.emitHeader(source, destination, protocol, config.ttl(), id, payloadLength);
            via.sendIpv4(total, nextHop, now);
            return;
        }
        int step = Ipv4.fragmentPayload(via.mtu());
        counters.add(Counter.FRAGMENT_SPLIT);
        for (int offset = 0; offset < payloadLength; offset += step) {
            int length = Math.min(step, payloadLength - offset);
            ByteBuffer tx = via.txBuffer();
            Bytes.copy(built, PAYLOAD_AT + offset, tx, PAYLOAD_AT, length);
            ip.wrapForEmit(tx, IP_AT, IP_AT + Ipv4.MIN_HEADER_LEN + length);
            ip.emitHeader(source, destination, protocol, config.ttl(), id, length, offset,
                    offset + length < payloadLength);
            counters.add(Counter.FRAGMENT_CREATED);
            if (!via.sendIpv4(Ipv4.MIN_HEADER_LEN + length, nextHop, now)) {
                return;
            }
        }
    }
}
