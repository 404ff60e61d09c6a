package org.devrt.network.internal.iface;

import java.nio.ByteBuffer;
import java.util.List;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.wire.Arp;
import org.devrt.network.internal.wire.Bytes;
import org.devrt.network.internal.wire.Ethernet;
import org.devrt.network.internal.wire.Ethernet.EtherType;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;
import org.devrt.network.internal.wire.Malformed;

/**
 * One IPv4 interface over a {@link Link}: its name, address and prefix, gateway, administrative state, ARP cache
 * and the frames waiting for resolution. It answers ARP itself and puts the Ethernet header on what the stack sends.
 * Confined to the stack's thread (the stack's lock); nothing here allocates per packet.
 */
public final class Interface {
    /** The target hardware address of a request: not known yet. */
    private static final MacAddress NO_MAC = MacAddress.of(new byte[6]);

    private final String name;
    private final int index;
    private final Link link;
    private final Counters counters;
    private final ArpCache arp;
    private final ArpQueue waiting;
    private final ByteBuffer tx;
    private final ByteBuffer arpTx = ByteBuffer.allocate(Ethernet.MIN_FRAME_LEN);
    private final Ethernet.Frame ethernet = new Ethernet.Frame();
    private final Arp.Packet arpIn = new Arp.Packet();
    private final Arp.Packet arpOut = new Arp.Packet();
    private final ArpTimers timers = new ArpTimers();
    private final ResolvedSender resolved = new ResolvedSender();
    private Ipv4Cidr cidr;
    private int address;
    private int broadcast;
    private Ipv4Address gateway;
    private boolean up;
    private long queuedForArp;
    private Unresolved unresolved = (from, packet, now) -> { };
    /** The time of the poll under way, for {@link ArpTimers#failed}. */
    private long pollNow;

    /** Told of each IPv4 packet dropped because its next hop never answered ARP. */
    public interface Unresolved {
        /** @param packet the IPv4 packet, from its position to its limit (valid only during the call) */
        void packet(Interface from, ByteBuffer packet, long now);
    }

    /** Who is told of packets whose next hop never answered ARP (the stack: ping hears of them). */
    public void onUnresolved(Unresolved listener) {
        this.unresolved = listener;
    }

    /** @param counters the stack's counters, shared by its interfaces */
    public Interface(String name, int index, Link link, ArpSettings settings, Counters counters) {
        this.name = name;
        this.index = index;
        this.link = link;
        this.counters = counters;
        this.arp = new ArpCache(settings);
        this.waiting = new ArpQueue(settings, Ethernet.HEADER_LEN + link.mtu());
        this.tx = ByteBuffer.allocate(Ethernet.HEADER_LEN + Math.min(link.mtu(), 0xffff));
    }

    public String name() {
        return name;
    }

    /** The interface's number, as {@code ip addr} prints it ({@code 1: lo}). */
    public int index() {
        return index;
    }

    public Link link() {
        return link;
    }

    public MacAddress macAddress() {
        return link.macAddress();
    }

    public int mtu() {
        return link.mtu();
    }

    /** The address and prefix, or null when none is configured. */
    public Ipv4Cidr cidr() {
        return cidr;
    }

    /** The address as an int, 0 when none. */
    public int address() {
        return address;
    }

    /** The default gateway reached through this interface, or null. */
    public Ipv4Address gateway() {
        return gateway;
    }

    /** Whether this is the loopback ({@code lo}), where every frame sent comes back in. */
    public boolean isLoopback() {
        return link.isLoopback();
    }

    /** Administratively up ({@code ip link set up}). */
    public boolean isUp() {
        return up;
    }

    /** Up and the carrier is there: frames flow. */
    public boolean isRunning() {
        return up && link.isLinkUp();
    }

    /** Sets the address (null: none) and the gateway (null: none); announces the address when up. */
    public void configure(Ipv4Cidr cidr, Ipv4Address gateway) {
        boolean changed = cidr == null ? this.cidr != null : !cidr.equals(this.cidr);
        this.cidr = cidr;
        this.address = cidr == null ? 0 : cidr.address().value();
        this.broadcast = cidr == null || cidr.prefixLength() >= 31 ? -1 : cidr.broadcast();
        this.gateway = gateway;
        if (changed) {
            arp.clear();
            waiting.clear();
            if (up) {
                announce();
            }
        }
    }

    /** Brings the interface up (announcing its address: a gratuitous ARP) or down (forgetting its neighbours). */
    public void setUp(boolean up) {
        if (up == this.up) {
            return;
        }
        this.up = up;
        if (up) {
            announce();
        } else {
            arp.clear();
            waiting.clear();
        }
    }

    /**
     * The link's carrier went down or came back ({@link org.devrt.device.DeviceEvents#LINK}). Down: the neighbours
     * are forgotten, as Linux's neigh_carrier_down (the cable may be plugged into another network, where the old
     * entries would send to hosts that are not there for minutes). Up: the address is announced again (a gratuitous
     * ARP), as at {@link #setUp}: the announcement sent while the carrier was still down (a real 8254x negotiates
     * for seconds after its reset) was dropped and never repeated.
     */
    public void carrierChanged(boolean carrier) {
        if (!up || link.isLoopback()) {
            return;
        }
        if (carrier) {
            announce();
        } else {
            arp.clear();
            waiting.clear();
        }
    }

    /** Whether {@code a} is a broadcast address on this interface's network (or 255.255.255.255). */
    public boolean isBroadcast(int a) {
        return a == -1 || cidr != null && a == broadcast;
    }

    /** The buffer in which the stack builds a frame to send: the IPv4 packet starts at byte 14. */
    public ByteBuffer txBuffer() {
        return tx.clear();
    }

    /**
     * Sends the IPv4 packet of {@code ipLength} bytes built at {@code txBuffer()[14]} to {@code nextHop}: puts the
     * Ethernet header on and transmits, or queues it and asks ARP. False when it was dropped (counted).
     */
    public boolean sendIpv4(int ipLength, int nextHop, long now) {
        int length = Ethernet.HEADER_LEN + ipLength;
        if (link.isLoopback()) {
            return transmit(tx, length, link.macAddress());
        }
        if (isBroadcast(nextHop)) {
            return transmit(tx, length, MacAddress.BROADCAST);
        }
        MacAddress mac = arp.lookup(nextHop, now);
        if (mac != null) {
            return transmit(tx, length, mac);
        }
        if (!waiting.add(nextHop, tx, length, now)) {
            counters.add(Counter.TX_ARP_QUEUE_FULL);
            return false;
        }
        queuedForArp++;
        if (arp.requestDue(nextHop, now)) {
            request(nextHop, MacAddress.BROADCAST);
        }
        return true;
    }

    /** Handles a received ARP packet at {@code frame[from, to)}; counts it in exactly one counter. */
    public void arpInput(ByteBuffer frame, int from, int to, long now) {
        Malformed m = arpIn.wrap(frame, from, to);
        if (m != null) {
            counters.add(m == Malformed.TRUNCATED ? Counter.ARP_TRUNCATED : Counter.ARP_UNSUPPORTED);
            return;
        }
        int op = arpIn.operationValue();
        int sender = arpIn.senderProtocol();
        if (op != Arp.Operation.REQUEST.value() && op != Arp.Operation.REPLY.value()) {
            counters.add(Counter.ARP_BAD_OPERATION);
        } else if (cidr == null) {
            counters.add(Counter.ARP_NO_ADDRESS);
        } else if (sender == 0 && !senderMacIsGroup()) {
            // an address probe (RFC 5227 2.1.1, a DHCP client's or server's check, RFC 2131 2.2): one for our address
            // is answered to the prober's MAC with target address 0, as Linux's arp_process, so that it sees the
            // address is taken; nothing is learnt from it
            if (op == Arp.Operation.REQUEST.value() && arpIn.targetProtocol() == address) {
                reply();
                counters.add(Counter.ARP_ANSWERED);
            } else {
                counters.add(Counter.ARP_NOT_FOR_US);
            }
        } else if (!Ipv4Address.isUnicastSource(sender) || isBroadcast(sender) || senderMacIsGroup()) {
            counters.add(Counter.ARP_BAD_SENDER);
        } else if (sender == address) {
            counters.add(arpIn.senderHardwareIs(macAddress()) ? Counter.ARP_NOT_FOR_US : Counter.ARP_ADDRESS_CONFLICT);
        } else {
            boolean forUs = arpIn.targetProtocol() == address;
            boolean learnt = arp.learn(arpIn, now, forUs);
            if (learnt) {
                resolved.mac = arp.lookup(sender, now);
                waiting.release(sender, resolved);
            }
            if (forUs && op == Arp.Operation.REQUEST.value()) {
                reply();
                counters.add(Counter.ARP_ANSWERED);
            } else {
                counters.add(learnt ? Counter.ARP_LEARNT : Counter.ARP_NOT_FOR_US);
            }
        }
    }

    /** ARP timers: retransmissions, failures, expiry of waiting frames. */
    public void poll(long now) {
        if (!up) {
            return;
        }
        pollNow = now;
        arp.poll(now, timers);
        for (int n = waiting.expire(now); n > 0; n--) {
            counters.add(Counter.TX_ARP_FAILED);
        }
    }

    /** When {@link #poll} next has something to do; Long.MAX_VALUE when never. */
    public long pollAt() {
        return up ? Math.min(arp.pollAt(), waiting.expireAt()) : Long.MAX_VALUE;
    }

    /** The ARP cache, for the shell. */
    public List<Neighbour> neighbours(long now) {
        return arp.rows(name, now);
    }

    /** Frames waiting for ARP. */
    public int waitingFrames() {
        return waiting.size();
    }

    /** How many frames have ever been queued for ARP: when it moves, the interface has a timer to run. */
    public long framesQueuedForArp() {
        return queuedForArp;
    }

    private boolean senderMacIsGroup() {
        return (Bytes.u8(arpIn.buffer(), arpIn.start() + Arp.SENDER_HARDWARE) & 1) != 0;
    }

    private boolean transmit(ByteBuffer frame, int length, MacAddress destination) {
        ethernet.wrapForEmit(frame, 0, length);
        ethernet.setDestination(destination);
        ethernet.setSource(macAddress());
        ethernet.setEtherType(EtherType.IPV4);
        return transmitFrame(frame, length);
    }

    private boolean transmitFrame(ByteBuffer frame, int length) {
        frame.clear();
        if (length < Ethernet.MIN_FRAME_LEN && !link.isLoopback()) {
            Bytes.fill(frame, length, Ethernet.MIN_FRAME_LEN - length, 0);
            length = Ethernet.MIN_FRAME_LEN;
        }
        frame.limit(length);
        if (!isRunning() || !link.transmit(frame)) {
            counters.add(Counter.TX_LINK_REFUSED);
            return false;
        }
        return true;
    }

    /** Who-has {@code target}, tell us: broadcast, or to {@code destination} alone (a stale entry's check). */
    private void request(int target, MacAddress destination) {
        writeArp(Arp.Operation.REQUEST, destination, NO_MAC, target);
    }

    /** The announcement of RFC 5227 2.3: a request for our own address, from our address. */
    private void announce() {
        if (cidr != null && !link.isLoopback()) {
            writeArp(Arp.Operation.REQUEST, MacAddress.BROADCAST, NO_MAC, address);
        }
    }

    /** Answers the request in {@link #arpIn}: unicast to its sender. */
    private void reply() {
        arpOut.wrapForEmit(arpTx, Ethernet.HEADER_LEN, arpTx.capacity());
        Bytes.copy(arpIn.buffer(), arpIn.start() + Arp.SENDER_HARDWARE, arpTx, Ethernet.HEADER_LEN + Arp.TARGET_HARDWARE, 6);
        arpOut.setTargetProtocol(arpIn.senderProtocol());
        Bytes.copy(arpIn.buffer(), arpIn.start() + Arp.SENDER_HARDWARE, arpTx, Ethernet.DESTINATION, 6);
        finishArp(Arp.Operation.REPLY);
    }

    private void writeArp(Arp.Operation op, MacAddress destination, MacAddress targetMac, int target) {
        arpOut.wrapForEmit(arpTx, Ethernet.HEADER_LEN, arpTx.capacity());
        arpOut.setTargetHardware(targetMac);
        arpOut.setTargetProtocol(target);
        ethernet.wrapForEmit(arpTx, 0, arpTx.capacity());
        ethernet.setDestination(destination);
        finishArp(op);
    }

    /** Fills what every ARP packet we send has (our MAC and address, the fixed fields) and sends it. */
    private void finishArp(Arp.Operation op) {
        ethernet.wrapForEmit(arpTx, 0, arpTx.capacity());
        ethernet.setSource(macAddress());
        ethernet.setEtherType(EtherType.ARP);
        arpOut.setEthernetIpv4();
        arpOut.setOperation(op);
        arpOut.setSenderHardware(macAddress());
        arpOut.setSenderProtocol(address);
        transmitFrame(arpTx, Ethernet.HEADER_LEN + Arp.PACKET_LEN);
    }

    /** Sends a frame that waited for ARP, now that its next hop's MAC is known. */
    private final class ResolvedSender implements ArpQueue.Sender {
        MacAddress mac;

        @Override
        public void send(ByteBuffer frame) {
            transmit(frame, frame.limit(), mac);
        }
    }

    private final class ArpTimers implements ArpCache.Timers {
        @Override
        public void retransmit(int target) {
            request(target, MacAddress.BROADCAST);
        }

        @Override
        public void probe(int target, MacAddress mac) {
            request(target, mac);
        }

        @Override
        public void failed(int target) {
            waiting.drop(target, frame -> {
                counters.add(Counter.TX_ARP_FAILED);
                unresolved.packet(Interface.this, frame.position(Ethernet.HEADER_LEN), pollNow);
            });
        }
    }
}
