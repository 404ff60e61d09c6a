package org.devrt.network.internal.gateway;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.wire.Arp;
import org.devrt.network.internal.wire.Bytes;
import org.devrt.network.internal.wire.Ethernet;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.wire.Ipv4Address;

/**
 * The emulated gateway on the virtual switch (QEMU user networking's 10.0.2.2): an endpoint that answers ARP
 * requests for its address and ICMP echo requests to it, and ignores everything else. Synchronous: the switch hands
 * it a frame, and the answer (if any) goes to the sink before {@link #receive} returns. It answers to the frame's
 * source MAC, so it needs no ARP cache of its own. An echo request larger than the link's MTU comes in fragments:
 * the gateway keeps one datagram at a time, taken in order (a switch does not reorder; a gap or another datagram
 * drops it), and sends the reply in fragments as well, as QEMU's gateway answers {@code ping -s 3000}. Depends only
 * on the wire formats.
 */
public final class EmulatedGateway {
    private final MacAddress mac;
    private final int address;
    private final ByteBuffer out = ByteBuffer.allocate(Ethernet.HEADER_LEN + Ipv4.MAX_PACKET_LEN);
    private final Ethernet.Frame ethernet = new Ethernet.Frame();
    private final Arp.Packet arp = new Arp.Packet();
    private final Ipv4.Packet ip = new Ipv4.Packet();
    private final Icmp.Packet icmp = new Icmp.Packet();
    private final Ethernet.Frame replyEthernet = new Ethernet.Frame();
    private final Arp.Packet replyArp = new Arp.Packet();
    private final Ipv4.Packet replyIp = new Ipv4.Packet();
    private final Icmp.Packet replyIcmp = new Icmp.Packet();
    private int identification;
    /** The fragmented echo request being put together (its ICMP message from 0), then its reply; on first need. */
    private ByteBuffer datagram;
    private int datagramSource;
    private int datagramId = -1;
    /** Bytes of it received so far, in order. */
    private int datagramLength;
    private long arpAnswered;
    private long echoAnswered;
    private long ignored;

    /** A gateway at {@code address} with {@code mac} (e.g. 52:55:0a:00:02:02 for 10.0.2.2, as QEMU does). */
    public EmulatedGateway(MacAddress mac, Ipv4Address address) {
        this.mac = mac;
        this.address = address.value();
    }

    public MacAddress macAddress() {
        return mac;
    }

    public Ipv4Address address() {
        return new Ipv4Address(address);
    }

    /** A frame the switch delivered to the gateway's port (position to limit); answers go to {@code sink}. */
    public synchronized void receive(ByteBuffer frame, FrameSink sink) {
        if (ethernet.wrap(frame) != null || !(ethernet.destinationIs(mac) || ethernet.destinationIsBroadcast())) {
            ignored++;
            return;
        }
        int type = ethernet.etherTypeValue();
        boolean answered = type == Ethernet.EtherType.ARP.value() ? answerArp(frame, sink)
                : type == Ethernet.EtherType.IPV4.value() && answerEcho(frame, sink);
        if (!answered) {
            ignored++;
        }
    }

    private boolean answerArp(ByteBuffer frame, FrameSink sink) {
        if (arp.wrap(frame, ethernet.payloadOffset(), ethernet.end()) != null
                || arp.operationValue() != Arp.Operation.REQUEST.value() || arp.targetProtocol() != address) {
            return false;
        }
        startArp(Arp.Operation.REPLY);
        Bytes.copy(frame, arp.start() + Arp.SENDER_HARDWARE, out, Ethernet.HEADER_LEN + Arp.TARGET_HARDWARE, 6);
        replyArp.setTargetProtocol(arp.senderProtocol());
        send(frame, Ethernet.EtherType.ARP, Ethernet.HEADER_LEN + Arp.PACKET_LEN, sink);
        arpAnswered++;
        return true;
    }

    private boolean answerEcho(ByteBuffer frame, FrameSink sink) {
        if (ip.wrap(frame, ethernet.payloadOffset(), ethernet.end()) != null || !ip.checksumValid()
                || ip.destination() != address || !Ipv4Address.isUnicastSource(ip.source())
                || ip.protocolValue() != Ipv4.Protocol.ICMP.value()) {
            return false;
        }
        ByteBuffer message = frame;
        int start = ip.payloadOffset();
        int end = ip.end();
        if (ip.isFragment()) {
            if (!takeFragment(frame)) {
                return true; // kept for the datagram it belongs to
            }
            if (datagramLength < 0) {
                return false;
            }
            message = datagram;
            start = 0;
            end = datagramLength;
            datagramId = -1;
        }
        if (icmp.wrap(message, start, end) != null || !icmp.checksumValid()
                || icmp.typeValue() != Icmp.Type.ECHO_REQUEST.value()) {
            return false;
        }
        int length = icmp.length();
        int source = ip.source();
        if (Ipv4.MIN_HEADER_LEN + length > MTU) {
            replyInFragments(frame, source, message, start, length, sink);
        } else {
            out.clear();
            int at = Ethernet.HEADER_LEN + Ipv4.MIN_HEADER_LEN;
            Bytes.copy(message, start, out, at, length);
            replyIcmp.wrapForEmit(out, at, at + length);
            replyIcmp.setType(Icmp.Type.ECHO_REPLY);
            replyIcmp.fillChecksum();
            replyIp.wrapForEmit(out, Ethernet.HEADER_LEN, at + length);
            replyIp.emitHeader(address, source, Ipv4.Protocol.ICMP, 64, identification++ & 0xffff, length);
            send(frame, Ethernet.EtherType.IPV4, at + length, sink);
        }
        echoAnswered++;
        return true;
    }

    /** The switch's MTU: what one frame carries after its Ethernet header. */
    static final int MTU = 1500;

    /**
     * Adds the fragment {@link #ip} holds to the datagram being put together. True when that datagram is complete
     * ({@link #datagramLength} bytes in {@link #datagram}) or had to be dropped ({@code datagramLength} -1); false
     * while it waits for more.
     */
    private boolean takeFragment(ByteBuffer frame) {
        int offset = ip.fragmentOffset();
        int length = ip.payloadLength();
        if (offset == 0) {
            datagramSource = ip.source();
            datagramId = ip.identification();
            datagramLength = 0;
        }
        boolean inOrder = datagramId == ip.identification() && datagramSource == ip.source()
                && offset == datagramLength && offset + length <= Ipv4.MAX_PACKET_LEN - Ipv4.MIN_HEADER_LEN
                && (length % 8 == 0 || !ip.moreFragments());
        if (!inOrder) {
            datagramId = -1;
            datagramLength = -1;
            return true;
        }
        if (datagram == null) {
            datagram = ByteBuffer.allocate(Ipv4.MAX_PACKET_LEN);
        }
        Bytes.copy(frame, ip.payloadOffset(), datagram, offset, length);
        datagramLength += length;
        return !ip.moreFragments();
    }

    /**
     * Sends the reply to the echo request at {@code request[start, start + length)} in fragments of the MTU: the
     * reply is made in place in {@link #datagram} (moved there first if the request came whole), then each
     * fragment is copied into {@link #out} behind its own headers.
     */
    private void replyInFragments(ByteBuffer request, int to, ByteBuffer message, int start, int length,
            FrameSink sink) {
        if (message != datagram) {
            if (datagram == null) {
                datagram = ByteBuffer.allocate(Ipv4.MAX_PACKET_LEN);
            }
            Bytes.copy(message, start, datagram, 0, length);
        }
        replyIcmp.wrapForEmit(datagram, 0, length);
        replyIcmp.setType(Icmp.Type.ECHO_REPLY);
        replyIcmp.fillChecksum();
        int id = identification++ & 0xffff;
        int step = Ipv4.fragmentPayload(MTU);
        int at = Ethernet.HEADER_LEN + Ipv4.MIN_HEADER_LEN;
        for (int offset = 0; offset < length; offset += step) {
            int chunk = Math.min(step, length - offset);
            out.clear();
            Bytes.copy(datagram, offset, out, at, chunk);
            replyIp.wrapForEmit(out, Ethernet.HEADER_LEN, at + chunk);
            replyIp.emitHeader(address, to, Ipv4.Protocol.ICMP, 64, id, chunk, offset, offset + chunk < length);
            send(request, Ethernet.EtherType.IPV4, at + chunk, sink);
        }
    }

    /**
     * Announces the gateway (a gratuitous ARP request: its address as sender and target, broadcast), as a router
     * does when it comes up: hosts that know the address update its MAC at once (RFC 826's merge), so a gateway
     * given a new MAC is not unreachable until their entries age out.
     */
    public synchronized void announce(FrameSink sink) {
        startArp(Arp.Operation.REQUEST);
        replyArp.setTargetHardware(Arp.Repr.UNKNOWN);
        replyArp.setTargetProtocol(address);
        replyEthernet.wrapForEmit(out, 0, Ethernet.HEADER_LEN);
        replyEthernet.setDestination(MacAddress.BROADCAST);
        finish(Ethernet.EtherType.ARP, Ethernet.HEADER_LEN + Arp.PACKET_LEN, sink);
    }

    /** Starts an ARP packet in {@code out}: the fixed fields, and the gateway's MAC and address as the sender's. */
    private void startArp(Arp.Operation operation) {
        out.clear();
        replyArp.wrapForEmit(out, Ethernet.HEADER_LEN, Ethernet.HEADER_LEN + Arp.PACKET_LEN);
        replyArp.setEthernetIpv4();
        replyArp.setOperation(operation);
        replyArp.setSenderHardware(mac);
        replyArp.setSenderProtocol(address);
    }

    /** Puts the Ethernet header on (back to the request's sender), pads to 60 bytes, sends. */
    private void send(ByteBuffer request, Ethernet.EtherType type, int length, FrameSink sink) {
        replyEthernet.wrapForEmit(out, 0, Ethernet.HEADER_LEN);
        Bytes.copy(request, ethernet.start() + Ethernet.SOURCE, out, Ethernet.DESTINATION, 6);
        finish(type, length, sink);
    }

    /** The rest of the Ethernet header (after its destination), the padding to 60 bytes, and off to the sink. */
    private void finish(Ethernet.EtherType type, int length, FrameSink sink) {
        replyEthernet.setSource(mac);
        replyEthernet.setEtherType(type);
        if (length < Ethernet.MIN_FRAME_LEN) {
            Bytes.fill(out, length, Ethernet.MIN_FRAME_LEN - length, 0);
            length = Ethernet.MIN_FRAME_LEN;
        }
        out.position(0).limit(length);
        sink.send(out);
    }

    /** ARP requests answered. */
    public synchronized long arpAnswered() {
        return arpAnswered;
    }

    /** Echo requests answered. */
    public synchronized long echoAnswered() {
        return echoAnswered;
    }

    /** Frames not for it, malformed, or of a kind it does not answer. */
    public synchronized long ignored() {
        return ignored;
    }
}
