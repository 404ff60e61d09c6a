package org.devrt.network.internal.iface;

import org.devrt.network.internal.wire.Malformed;

/**
 * What the stack counts. Every received frame ends in exactly one {@link Kind#RX_DROP} or {@link Kind#RX_DONE}
 * counter, so their sum is the number of frames the stack took from its links; {@link Kind#TX_DROP} counts packets
 * the stack did not send, {@link Kind#EVENT} things that are neither.
 */
public enum Counter {
    FRAME_TRUNCATED(Kind.RX_DROP, "frames shorter than an Ethernet header"),
    FRAME_NOT_FOR_US(Kind.RX_DROP, "frames to another MAC address"),
    FRAME_MULTICAST(Kind.RX_DROP, "frames to a multicast group not joined"),
    FRAME_UNKNOWN_TYPE(Kind.RX_DROP, "frames of an EtherType the stack does not speak"),
    FRAME_INTERFACE_DOWN(Kind.RX_DROP, "frames received while the interface was down"),
    ARP_TRUNCATED(Kind.RX_DROP, "ARP packets truncated"),
    ARP_UNSUPPORTED(Kind.RX_DROP, "ARP packets for other than Ethernet and IPv4"),
    ARP_BAD_OPERATION(Kind.RX_DROP, "ARP packets neither request nor reply"),
    ARP_BAD_SENDER(Kind.RX_DROP, "ARP packets from a broadcast, multicast or zero sender"),
    ARP_ADDRESS_CONFLICT(Kind.RX_DROP, "ARP packets from another host claiming our address"),
    ARP_NOT_FOR_US(Kind.RX_DROP, "ARP requests for another address"),
    ARP_NO_ADDRESS(Kind.RX_DROP, "ARP packets on an interface without an address"),
    ARP_ANSWERED(Kind.RX_DONE, "ARP requests answered"),
    ARP_LEARNT(Kind.RX_DONE, "ARP replies and announcements learnt"),
    IPV4_TRUNCATED(Kind.RX_DROP, "IPv4 packets shorter than a header"),
    IPV4_BAD_VERSION(Kind.RX_DROP, "IPv4 packets with a version other than 4"),
    IPV4_BAD_HEADER_LENGTH(Kind.RX_DROP, "IPv4 packets with a bad header length"),
    IPV4_BAD_LENGTH(Kind.RX_DROP, "IPv4 packets whose total length lies"),
    IPV4_BAD_CHECKSUM(Kind.RX_DROP, "IPv4 packets with a bad header checksum"),
    IPV4_BAD_OPTIONS(Kind.RX_DROP, "IPv4 packets with malformed options"),
    IPV4_BAD_SOURCE(Kind.RX_DROP, "IPv4 packets from a broadcast, multicast or zero source"),
    IPV4_SOURCE_ROUTED(Kind.RX_DROP, "IPv4 packets with a source route option (a host does not forward them)"),
    IPV4_MARTIAN(Kind.RX_DROP, "IPv4 packets from the wire with a loopback or 0/8 address, or from one of ours"),
    IPV4_NOT_FOR_US(Kind.RX_DROP, "IPv4 packets for another host (no forwarding)"),
    IPV4_UNKNOWN_PROTOCOL(Kind.RX_DROP, "IPv4 packets of a protocol the stack does not speak"),
    FRAGMENT_BAD_LENGTH(Kind.RX_DROP, "fragments not a multiple of 8 bytes before the last"),
    FRAGMENT_TOO_BIG(Kind.RX_DROP, "fragments reaching beyond 65535 bytes, or datagrams reassembled beyond it"),
    FRAGMENT_OVERLAP(Kind.RX_DROP, "fragments overlapping others (the datagram is dropped)"),
    FRAGMENT_DUPLICATE(Kind.RX_DROP, "fragments received twice"),
    FRAGMENT_QUEUED(Kind.RX_DONE, "fragments queued for reassembly"),
    FRAGMENT_REASSEMBLED(Kind.EVENT, "datagrams reassembled"),
    FRAGMENT_TIMEOUT(Kind.EVENT, "datagrams whose fragments timed out"),
    FRAGMENT_EVICTED(Kind.EVENT, "unfinished datagrams dropped to make room for a newer one"),
    FRAGMENT_SPLIT(Kind.EVENT, "datagrams sent in fragments (larger than the interface's MTU)"),
    FRAGMENT_CREATED(Kind.EVENT, "fragments created"),
    BROADCAST_LOOPED(Kind.EVENT, "broadcasts sent that this host received too (a copy through lo)"),
    ICMP_TRUNCATED(Kind.RX_DROP, "ICMP messages shorter than 8 bytes"),
    ICMP_BAD_CHECKSUM(Kind.RX_DROP, "ICMP messages with a bad checksum"),
    ICMP_BROADCAST_ECHO(Kind.RX_DROP, "ICMP echo requests to a broadcast address (ignored)"),
    ICMP_UNKNOWN_TYPE(Kind.RX_DROP, "ICMP messages of a type the stack does not answer"),
    ICMP_NO_SOCKET(Kind.RX_DROP, "ICMP echo replies and errors no one waits for"),
    ICMP_REDIRECT_REFUSED(Kind.RX_DROP, "ICMP redirects not from the current gateway or to a gateway off the link"),
    ICMP_ECHO_ANSWERED(Kind.RX_DONE, "ICMP echo requests answered"),
    ICMP_REDIRECT_TAKEN(Kind.RX_DONE, "ICMP redirects taken: a host route through the better gateway"),
    ICMP_DELIVERED(Kind.RX_DONE, "ICMP echo replies and errors delivered to ping"),
    UDP_TRUNCATED(Kind.RX_DROP, "UDP datagrams shorter than a header"),
    UDP_BAD_LENGTH(Kind.RX_DROP, "UDP datagrams whose length lies"),
    UDP_BAD_CHECKSUM(Kind.RX_DROP, "UDP datagrams with a bad checksum"),
    UDP_NO_SOCKET(Kind.RX_DROP, "UDP datagrams to a port no socket is bound to"),
    UDP_QUEUE_FULL(Kind.RX_DROP, "UDP datagrams dropped: the socket's receive queue was full"),
    UDP_DELIVERED(Kind.RX_DONE, "UDP datagrams delivered"),
    TX_NO_ROUTE(Kind.TX_DROP, "packets with no route to their destination"),
    TX_TOO_BIG(Kind.TX_DROP, "datagrams larger than an IPv4 packet can be (65535 bytes)"),
    TX_LINK_REFUSED(Kind.TX_DROP, "frames the device refused (ring full or link down)"),
    TX_ARP_QUEUE_FULL(Kind.TX_DROP, "packets dropped: the queue awaiting ARP resolution was full"),
    TX_ARP_FAILED(Kind.TX_DROP, "packets dropped: no ARP reply for their next hop"),
    TX_ICMP_RATE_LIMITED(Kind.TX_DROP, "ICMP errors not sent: rate limit");

    /** Where a counter stands in the accounting of frames. */
    public enum Kind { RX_DROP, RX_DONE, TX_DROP, EVENT }

    private static final Counter[] ALL = values();

    private final Kind kind;
    private final String description;

    Counter(Kind kind, String description) {
        this.kind = kind;
        this.description = description;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    static Counter[] all() {
        return ALL;
    }

    /** The IPv4 counter for a malformation. */
    public static Counter ipv4(Malformed m) {
        return switch (m) {
            case TRUNCATED -> IPV4_TRUNCATED;
            case BAD_VERSION -> IPV4_BAD_VERSION;
            case BAD_HEADER_LENGTH -> IPV4_BAD_HEADER_LENGTH;
            case BAD_CHECKSUM -> IPV4_BAD_CHECKSUM;
            case BAD_OPTIONS -> IPV4_BAD_OPTIONS;
            case BAD_LENGTH, UNSUPPORTED -> IPV4_BAD_LENGTH;
        };
    }

    /** The UDP counter for a malformation. */
    public static Counter udp(Malformed m) {
        return m == Malformed.TRUNCATED ? UDP_TRUNCATED : UDP_BAD_LENGTH;
    }
}
