package org.devrt.network.internal.stack;

import java.nio.ByteBuffer;

import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.iface.Counters;
import org.devrt.network.internal.iface.Interface;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Malformed;
import org.devrt.network.internal.wire.Udp;

/**
 * The receive side of IPv4, ICMP and UDP. Each packet is checked (structure, checksum, source, destination), handed
 * to reassembly when it is a fragment, then to its protocol; every packet ends in exactly one counter. A host does
 * not drop for TTL (RFC 1122 3.2.1.7: it must accept TTL 0 or 1) and does not forward. Called under the stack's
 * lock; allocates nothing.
 */
final class IpInput {
    private final Stack stack;
    private final Counters counters;
    private final Reassembly reassembly;
    private final UdpTable udpTable;
    private final IpOutput out;
    private final Ipv4.Packet ip = new Ipv4.Packet();
    private final Ipv4.Packet quoted = new Ipv4.Packet();
    private final Icmp.Packet icmp = new Icmp.Packet();
    private final Icmp.Packet quotedIcmp = new Icmp.Packet();
    private final Udp.Datagram udp = new Udp.Datagram();

    IpInput(Stack stack, Counters counters, Reassembly reassembly, UdpTable udpTable, IpOutput out) {
        this.stack = stack;
        this.counters = counters;
        this.reassembly = reassembly;
        this.udpTable = udpTable;
        this.out = out;
    }

    /** An IPv4 packet in {@code buffer[from, to)} received on {@code in}; {@code linkBroadcast} if the frame was. */
    void input(Interface in, ByteBuffer buffer, int from, int to, boolean linkBroadcast, long now) {
        Malformed m = ip.wrap(buffer, from, to);
        if (m != null) {
            counters.add(Counter.ipv4(m));
            return;
        }
        if (!ip.checksumValid()) {
            counters.add(Counter.IPV4_BAD_CHECKSUM);
            return;
        }
        int source = ip.source();
        int destination = ip.destination();
        if (!Ipv4Address.isUnicastSource(source) || in.isBroadcast(source)) {
            counters.add(Counter.IPV4_BAD_SOURCE);
            return;
        }
        if (!in.isLoopback() && (Ipv4Address.isLoopback(source) || Ipv4Address.isLoopback(destination)
                || Ipv4Address.isThisNetwork(source) || stack.isLocalAddress(in, source))) {
            // martians (RFC 1122 3.2.1.3 (g): 127/8 "MUST NOT appear outside a host"; Linux's ip_route_input_slow
            // and fib_validate_source): a loopback-bound socket would take a datagram from anyone on the network
            // and answer it from 127.0.0.1 on the wire, and a packet forged from our own address would be answered
            // to ourselves
            counters.add(Counter.IPV4_MARTIAN);
            return;
        }
        if (ip.optionsLength() > 0 && ip.hasSourceRoute()) {
            // a source-routed packet names hops after this one: a host that does not forward drops it, as Linux with
            // its default accept_source_route 0 (RFC 1122 3.3.5 lets a host refuse them); it was answered as if it
            // were for this host, straight back, the route ignored
            counters.add(Counter.IPV4_SOURCE_ROUTED);
            return;
        }
        // a broadcast this stack sent comes back through the loopback, addressed to the network it went out on
        boolean broadcast = in.isBroadcast(destination) || in.isLoopback() && stack.isBroadcastOfAny(destination);
        if (!broadcast && !stack.isLocalAddress(in, destination)) {
            counters.add(Counter.IPV4_NOT_FOR_US);
            return;
        }
        if (!ip.isFragment()) {
            deliver(in, ip, linkBroadcast || broadcast, now);
            return;
        }
        Ipv4.Packet whole = reassembly.add(ip, now);
        if (whole != null) {
            deliver(in, whole, linkBroadcast || broadcast, now);
            reassembly.release();
        }
    }

    private void deliver(Interface in, Ipv4.Packet p, boolean broadcast, long now) {
        int protocol = p.protocolValue();
        if (protocol == Ipv4.Protocol.UDP.value()) {
            udpInput(in, p, broadcast, now);
        } else if (protocol == Ipv4.Protocol.ICMP.value()) {
            icmpInput(in, p, broadcast, now);
        } else {
            counters.add(Counter.IPV4_UNKNOWN_PROTOCOL);
            out.icmpError(in, p, broadcast, Icmp.Type.DESTINATION_UNREACHABLE.value(), Icmp.PROTOCOL_UNREACHABLE, now);
        }
    }

    private void udpInput(Interface in, Ipv4.Packet p, boolean broadcast, long now) {
        Malformed m = udp.wrap(p.buffer(), p.payloadOffset(), p.end());
        if (m != null) {
            counters.add(Counter.udp(m));
            return;
        }
        if (!udp.checksumValid(p.source(), p.destination())) {
            counters.add(Counter.UDP_BAD_CHECKSUM);
            return;
        }
        UdpSocketImpl socket = udpTable.find(p.destination(), udp.destinationPort());
        if (socket == null) {
            counters.add(Counter.UDP_NO_SOCKET);
            out.icmpError(in, p, broadcast, Icmp.Type.DESTINATION_UNREACHABLE.value(), Icmp.PORT_UNREACHABLE, now);
            return;
        }
        boolean queued = socket.deliver(udp.buffer(), udp.payloadOffset(), udp.payloadLength(), p.source(), udp.sourcePort());
        counters.add(queued ? Counter.UDP_DELIVERED : Counter.UDP_QUEUE_FULL);
    }

    private void icmpInput(Interface in, Ipv4.Packet p, boolean broadcast, long now) {
        if (icmp.wrap(p.buffer(), p.payloadOffset(), p.end()) != null) {
            counters.add(Counter.ICMP_TRUNCATED);
            return;
        }
        if (!icmp.checksumValid()) {
            counters.add(Counter.ICMP_BAD_CHECKSUM);
            return;
        }
        int type = icmp.typeValue();
        if (type == Icmp.Type.ECHO_REQUEST.value()) {
            if (broadcast) {
                counters.add(Counter.ICMP_BROADCAST_ECHO);
                return;
            }
            counters.add(Counter.ICMP_ECHO_ANSWERED);
            out.echoReply(p, icmp, now);
        } else if (type == Icmp.Type.ECHO_REPLY.value()) {
            EchoSocket s = stack.echoSocket(icmp.identifier());
            if (s == null) {
                counters.add(Counter.ICMP_NO_SOCKET);
                return;
            }
            int wrongAt = -1;
            int wrong = 0;
            for (int i = 0, data = icmp.dataOffset(); i < icmp.dataLength(); i++) { // the bytes 0, 1, 2, ... it sent
                byte b = icmp.buffer().get(data + i);
                if (b != (byte) i) {
                    wrongAt = i;
                    wrong = b & 0xff;
                    break;
                }
            }
            s.deliverReply(p.source(), icmp.sequence(), p.ttl(), icmp.length(), now, wrongAt, wrong);
            counters.add(Counter.ICMP_DELIVERED);
        } else if (type == Icmp.Type.DESTINATION_UNREACHABLE.value() || type == Icmp.Type.TIME_EXCEEDED.value()) {
            errorInput(p, type, now);
        } else if (type == Icmp.Type.REDIRECT.value()) {
            redirectInput(in, p, broadcast);
        } else {
            counters.add(Counter.ICMP_UNKNOWN_TYPE);
        }
    }

    /**
     * An ICMP redirect (RFC 792; RFC 1122 3.2.2.2: a host MUST update its routing): the destination of the datagram
     * it quotes, one this host sent, goes through the gateway it names from now on, if it came from the current first
     * hop and names a gateway on the same link (Linux's secure_redirects; {@link Routes#redirect}). Every code is taken
     * as a host redirect, as RFC 1122 asks of hosts.
     */
    private void redirectInput(Interface in, Ipv4.Packet p, boolean broadcast) {
        boolean taken = !broadcast && icmp.code() <= 3
                && quoted.wrapQuoted(icmp.buffer(), icmp.dataOffset(), icmp.end()) == null
                && stack.isLocalAddress(in, quoted.source())
                && stack.redirect(quoted.destination(), icmp.gatewayAddress(), p.source(), in);
        counters.add(taken ? Counter.ICMP_REDIRECT_TAKEN : Counter.ICMP_REDIRECT_REFUSED);
    }

    /**
     * An echo request of ours whose next hop never answered ARP: ping hears "Destination Host Unreachable" from the
     * interface's own address, as Linux reports a failed neighbour resolution (an ICMP error it sends itself).
     */
    void unresolved(Interface from, ByteBuffer packet, long now) {
        if (quoted.wrap(packet, packet.position(), packet.limit()) != null
                || quoted.protocolValue() != Ipv4.Protocol.ICMP.value() || quoted.fragmentOffset() != 0
                || quotedIcmp.wrap(packet, quoted.payloadOffset(), quoted.end()) != null
                || quotedIcmp.typeValue() != Icmp.Type.ECHO_REQUEST.value()) {
            return;
        }
        EchoSocket s = stack.echoSocket(quotedIcmp.identifier());
        if (s != null) { // the error's ICMP length: its header, the quoted IP header and 8 bytes of the request
            int length = Icmp.HEADER_LEN + quoted.headerLength() + 8;
            s.deliver(from.address(), quotedIcmp.sequence(), stack.config().ttl(), length, now,
                    Icmp.Type.DESTINATION_UNREACHABLE.value(), Icmp.HOST_UNREACHABLE);
        }
    }

    /**
     * An ICMP error: delivered to ping when it quotes one of its echo requests. Only a first fragment (offset 0)
     * quotes an ICMP header; another's bytes are the request's data, and an identifier read there named any ping.
     */
    private void errorInput(Ipv4.Packet p, int type, long now) {
        EchoSocket s = null;
        int sequence = 0;
        if (quoted.wrapQuoted(icmp.buffer(), icmp.dataOffset(), icmp.end()) == null
                && quoted.protocolValue() == Ipv4.Protocol.ICMP.value() && quoted.fragmentOffset() == 0
                && quotedIcmp.wrap(quoted.buffer(), quoted.payloadOffset(), quoted.end()) == null
                && quotedIcmp.typeValue() == Icmp.Type.ECHO_REQUEST.value()) {
            s = stack.echoSocket(quotedIcmp.identifier());
            sequence = quotedIcmp.sequence();
        }
        if (s == null) {
            counters.add(Counter.ICMP_NO_SOCKET);
            return;
        }
        s.deliver(p.source(), sequence, p.ttl(), icmp.length(), now, type, icmp.code());
        counters.add(Counter.ICMP_DELIVERED);
    }
}
