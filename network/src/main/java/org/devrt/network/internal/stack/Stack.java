package org.devrt.network.internal.stack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.devrt.network.UdpSocket;
import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.iface.Counters;
import org.devrt.network.internal.iface.DeviceLink;
import org.devrt.network.internal.iface.Interface;
import org.devrt.network.internal.iface.Link;
import org.devrt.network.internal.iface.LoopbackLink;
import org.devrt.network.internal.iface.Neighbour;
import org.devrt.network.internal.wire.Ethernet;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;
import org.devrt.network.internal.wire.Malformed;

/**
 * devrt's IPv4 stack: interfaces, routes, ARP, IPv4 with reassembly, ICMP and UDP sockets. Driven by
 * {@link #poll(long)}: it takes the frames every link has received, runs the timers that are due, and says with
 * {@link #pollAt()} when it next needs to run. Time is an argument, so tests drive it with a fake clock. One lock
 * guards everything: the stack's thread holds it while polling, callers hold it briefly to send or to configure,
 * and a driver's receive path may poll on its own thread with {@link #pollIfIdle} when nobody holds it. Malformed
 * input is counted ({@link Counter}), never thrown.
 */
public final class Stack {
    private final StackConfig config;
    private final LongSupplier clock;
    private final Runnable wake;
    private final LongConsumer afterInlinePoll;
    /** A frame arrived while a thread held the lock: that thread polls after its outermost unlock. */
    private volatile boolean pollOwed;
    /** Not a monitor: {@link #pollIfIdle} needs tryLock. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Sockets whose readers to wake at the outermost unlock, under the lock; and a spare list, out of it. */
    private Readers[] toWake = new Readers[8];
    private int wakeCount;
    private final AtomicReference<Readers[]> spareWakes = new AtomicReference<>(new Readers[8]);

    /** A socket whose readers the stack wakes once its lock is released ({@link #wakeAfterUnlock}). */
    interface Readers {
        void wakeReaders();
    }
    private final Counters counters = new Counters();
    private final Routes routes;
    private final UdpTable udpTable = new UdpTable();
    private final Reassembly reassembly;
    private final IpOutput out;
    private final IpInput in;
    private final Ethernet.Frame frame = new Ethernet.Frame();
    private final Ipv4.Packet timedOut = new Ipv4.Packet();
    private final Reassembly.Expired onReassemblyTimeout = this::reassemblyTimedOut;
    private final Interface loopback;
    private final List<Interface> interfaces = new ArrayList<>();
    /** Why the stack has stopped ({@link #closeSockets}), or null: new sockets fail at once with it. */
    private String stopped;
    private Interface[] active = new Interface[0];
    private EchoSocket[] echoSockets = new EchoSocket[0];
    private int nextIndex = 1;
    private int nextEchoId;
    private boolean moreToReceive;

    /**
     * A stack with its loopback interface {@code lo} (127.0.0.1/8) up.
     *
     * @param clock the time for what callers do (sends); the same clock the caller of {@link #poll} reads
     * @param wake called when the stack's thread should poll sooner than it planned
     */
    public Stack(StackConfig config, LongSupplier clock, Runnable wake) {
        this(config, clock, wake, at -> { });
    }

    /**
     * @param afterInlinePoll told, under the lock, the {@link #pollAt()} after a poll that {@link #frameArrived} ran
     *     on a thread other than the stack's, so that it can come sooner if it must
     */
    public Stack(StackConfig config, LongSupplier clock, Runnable wake, LongConsumer afterInlinePoll) {
        this.config = config;
        this.clock = clock;
        this.wake = wake;
        this.afterInlinePoll = afterInlinePoll;
        this.routes = new Routes(clock);
        this.reassembly = new Reassembly(config.reassemblySlots(), config.reassemblyMaxBytes(),
                config.reassemblyTimeoutNanos(), counters);
        this.out = new IpOutput(config, counters, routes);
        this.in = new IpInput(this, counters, reassembly, udpTable, out);
        this.nextEchoId = (int) (clock.getAsLong() & 0xffff);
        this.loopback = addInterface("lo", new LoopbackLink(config.linkQueueFrames(), wake));
        out.loopBroadcastsThrough(loopback);
        configure("lo", Ipv4Cidr.parse("127.0.0.1/8"), null);
        setUp("lo", true);
    }

    public StackConfig config() {
        return config;
    }

    /** Adds an interface, down and without an address, numbered after the others. */
    public Interface addInterface(String name, Link link) {
        return addInterface(name, 0, link);
    }

    /** Adds an interface, down and without an address; names are unique; index 0 numbers it after the others. */
    public Interface addInterface(String name, int index, Link link) {
        lock.lock();
        try {
            if (find(name) != null) {
                throw new IllegalArgumentException("an interface named " + name + " exists already");
            }
            int number = index > 0 ? index : nextIndex;
            nextIndex = Math.max(nextIndex, number + 1);
            Interface i = new Interface(name, number, link, config.arp(), counters);
            i.onUnresolved(in::unresolved);
            interfaces.add(i);
            changed();
            return i;
        } finally {
            unlock();
        }
    }

    /**
     * Removes an interface: it goes down, its routes go, sockets bound to an address no interface has any more fail
     * with {@code reason} (by address: a socket bound to an address that had moved to another interface failed
     * with the old one, and not with the one that held it).
     */
    public void removeInterface(String name, String reason) {
        lock.lock();
        try {
            Interface i = require(name);
            if (i == loopback) {
                throw new IllegalArgumentException("the loopback cannot be removed");
            }
            i.setUp(false);
            interfaces.remove(i);
            changed(); // before the sockets are judged: assigned reads the array it makes
            udpTable.failUnassigned(this::assigned, reason);
        } finally {
            unlock();
        }
    }

    /** The stack is going away: every socket fails with {@code reason} (a reader waiting on one is woken). */
    public void closeSockets(String reason) {
        lock.lock();
        try {
            stopped = reason;
            udpTable.failAll(reason);
            for (EchoSocket s : echoSockets) {
                s.fail(reason); // a ping went on sending into the stopped stack, "Network is unreachable" for ever
            }
        } finally {
            unlock();
        }
    }

    /** Sets an interface's address (null: none) and gateway (null: none). */
    public void configure(String name, Ipv4Cidr cidr, Ipv4Address gateway) {
        lock.lock();
        try {
            require(name).configure(cidr, gateway);
            changed();
        } finally {
            unlock();
        }
    }

    /** The carrier of an interface's link went down or came back ({@link Interface#carrierChanged}). */
    public void carrierChanged(String name, boolean carrier) {
        lock.lock();
        try {
            Interface i = find(name);
            if (i != null) { // gone meanwhile: nothing to do
                i.carrierChanged(carrier);
            }
        } finally {
            unlock();
        }
    }

    /** Brings an interface up (a gratuitous ARP announces its address) or down. */
    public void setUp(String name, boolean up) {
        lock.lock();
        try {
            require(name).setUp(up);
            changed();
        } finally {
            unlock();
        }
    }

    /** Takes what the links received and runs the timers due at {@code now}. */
    public void poll(long now) {
        lock.lock();
        try {
            moreToReceive = false;
            Interface[] list = active;
            for (Interface i : list) {
                Link link = i.link();
                int n = 0;
                ByteBuffer f;
                while (n < config.rxBudget() && (f = link.receive()) != null) {
                    receive(i, f, now);
                    n++;
                }
                moreToReceive |= n == config.rxBudget();
            }
            for (Interface i : list) {
                i.poll(now);
            }
            reassembly.expire(now, onReassemblyTimeout);
        } finally {
            unlock();
        }
    }

    /**
     * For the stack's thread: a poll at the clock's time read under the lock (so whatever a caller sent before is
     * stamped no later than what this poll receives: ping's round-trip times cannot come out negative), then
     * {@code plan} with {@link #pollAt()}, under one hold of the lock, so that a {@link #pollIfIdle} caller sees the
     * plan the thread made before its own poll, or none yet.
     */
    public void pollAndPlan(LongConsumer plan) {
        lock.lock();
        try {
            poll(clock.getAsLong());
            plan.accept(pollAt());
        } finally {
            unlock();
        }
    }

    /**
     * A link received a frame (called on the driver's receiving thread): the stack takes it in on this thread if no
     * thread holds the stack; if one does (this one included: a frame that a send delivered at once, through the
     * wire, back to this very stack), that thread takes it in when it lets go ({@link #unlock}). Never waits, never
     * re-enters, allocates nothing; the stack's thread is not involved unless the poll leaves timers due sooner
     * than it planned ({@code afterInlinePoll}).
     */
    public void frameArrived() {
        // A loop, not a recursion through unlock: a poll during which another thread marked a poll owed polls again,
        // and under steady traffic from other threads that nested once per poll, without bound.
        while (true) {
            if (pollIfIdle()) {
                if (!pollOwed) {
                    return;
                }
                pollOwed = false; // frames came while it polled: take them too
                continue;
            }
            pollOwed = true;
            if (lock.isLocked()) {
                return; // its holder finds the mark after it lets go (it reads the mark after its unlock)
            }
        }
    }

    /** Polls if the stack is free; the lock released without the owed-poll check, which {@link #frameArrived} makes. */
    private boolean pollIfIdle() {
        if (lock.isHeldByCurrentThread() || !lock.tryLock()) {
            return false;
        }
        try {
            poll(clock.getAsLong());
            afterInlinePoll.accept(pollAt());
            return true;
        } finally {
            release();
        }
    }

    /** {@code query} under the lock: for what the shell and the tests read, not for the data path. */
    private <T> T locked(Supplier<T> query) {
        lock.lock();
        try {
            return query.get();
        } finally {
            unlock();
        }
    }

    /**
     * Releases the lock. The outermost release wakes the readers of the sockets that received something meanwhile
     * ({@link #wakeAfterUnlock}): woken under the lock, a reader that answers at once would find it taken and
     * park again. Allocates nothing once the two wake lists are as long as the sockets that need them. Then it
     * takes in the frames that arrived while it held the lock ({@link #frameArrived}).
     */
    private void unlock() {
        if (lock.getHoldCount() > 1) {
            lock.unlock();
            return;
        }
        release();
        if (pollOwed) { // a frame arrived while this thread held the stack
            pollOwed = false;
            frameArrived();
        }
    }

    /** The outermost release of the lock, waking the readers; no owed poll. */
    private void release() {
        if (wakeCount == 0) {
            lock.unlock();
        } else {
            unlockAndWake();
        }
    }

    private void unlockAndWake() {
        Readers[] batch = toWake;
        int n = wakeCount;
        Readers[] spare = spareWakes.getAndSet(null);
        toWake = spare != null ? spare : new Readers[batch.length];
        wakeCount = 0;
        lock.unlock();
        for (int i = 0; i < n; i++) {
            Readers socket = batch[i];
            batch[i] = null;
            socket.wakeReaders();
        }
        spareWakes.set(batch);
    }

    /** Under the lock: {@code socket}'s readers are woken once the lock is released. */
    void wakeAfterUnlock(Readers socket) {
        for (int i = 0; i < wakeCount; i++) {
            if (toWake[i] == socket) {
                return;
            }
        }
        if (wakeCount == toWake.length) {
            toWake = Arrays.copyOf(toWake, wakeCount * 2);
        }
        toWake[wakeCount++] = socket;
    }

    /** When {@link #poll} should next run: Long.MIN_VALUE for at once, Long.MAX_VALUE when only frames can wake it. */
    public long pollAt() {
        lock.lock();
        try {
            if (moreToReceive) {
                return Long.MIN_VALUE;
            }
            long at = reassembly.pollAt();
            for (Interface i : active) {
                at = Math.min(at, i.pollAt());
            }
            return at;
        } finally {
            unlock();
        }
    }

    /** One received frame: Ethernet, then ARP or IPv4. */
    private void receive(Interface i, ByteBuffer f, long now) {
        if (!i.isUp()) {
            counters.add(Counter.FRAME_INTERFACE_DOWN);
            return;
        }
        Malformed m = frame.wrap(f);
        if (m != null) {
            counters.add(Counter.FRAME_TRUNCATED);
            return;
        }
        boolean broadcast = frame.destinationIsBroadcast();
        if (!broadcast && !frame.destinationIs(i.macAddress())) {
            counters.add(frame.destinationIsMulticast() ? Counter.FRAME_MULTICAST : Counter.FRAME_NOT_FOR_US);
            return;
        }
        int type = frame.etherTypeValue();
        if (type == Ethernet.EtherType.IPV4.value()) {
            in.input(i, f, frame.payloadOffset(), frame.end(), broadcast, now);
        } else if (type == Ethernet.EtherType.ARP.value()) {
            i.arpInput(f, frame.payloadOffset(), frame.end(), now);
        } else {
            counters.add(Counter.FRAME_UNKNOWN_TYPE);
        }
    }

    /** Whether {@code address} is 255.255.255.255 or the broadcast address of an interface's network. */
    public boolean isBroadcast(Ipv4Address address) {
        return locked(() -> isBroadcastOfAny(address.value()));
    }

    /** Whether {@code address} is the broadcast address of an interface up with an address, or 255.255.255.255. */
    boolean isBroadcastOfAny(int address) {
        for (Interface i : active) {
            if (i.isBroadcast(address)) {
                return true;
            }
        }
        return address == -1;
    }

    /** Whether {@code address} is ours as seen from {@code on}: any interface's address (the weak host model). */
    boolean isLocalAddress(Interface on, int address) {
        if (on == loopback && Ipv4Address.isLoopback(address)) {
            return true;
        }
        for (Interface i : active) {
            if (i.address() == address && address != 0) {
                return true;
            }
        }
        return false;
    }

    // ---- UDP sockets

    /**
     * Whether a socket may be bound to {@code address} now: 0 (every interface), a loopback address, or one an
     * interface has. A socket bound to an address that went (a changed configuration) sent with it as the source,
     * speaking as whoever holds it now.
     */
    private boolean assigned(int address) {
        if (address == 0 || Ipv4Address.isLoopback(address)) {
            return true;
        }
        for (Interface i : active) { // the data path's array: this is on every send
            if (i.address() == address) {
                return true;
            }
        }
        return false;
    }

    /** Binds a UDP socket to {@code address} (0: every interface) and {@code port} (0: an ephemeral one). */
    public UdpSocket bindUdp(int address, int port) throws IOException {
        return bindUdpSocket(address, port);
    }

    UdpSocketImpl bindUdpSocket(int address, int port) throws IOException {
        lock.lock();
        try {
            if (stopped != null) { // a caller that got the stack just before it stopped: its socket never failed
                throw new IOException(stopped);
            }
            if (!assigned(address)) {
                throw new IOException("Cannot assign requested address: " + Ipv4Address.format(address));
            }
            UdpSocketImpl s = new UdpSocketImpl(this, address, udpTable.choosePort(address, port),
                    config.udpQueuePackets(), config.udpQueueBytes());
            udpTable.add(s);
            return s;
        } finally {
            unlock();
        }
    }

    void sendUdp(UdpSocketImpl s, ByteBuffer payload, int destination, int port) throws IOException {
        lock.lock();
        try {
            s.check();
            if (port == 0) {
                throw new IOException("Invalid argument: cannot send to " + Ipv4Address.format(destination) + ":"
                        + port);
            }
            if (!s.broadcast && isBroadcastOfAny(destination)) { // EACCES, as Linux's udp_sendmsg
                throw new IOException("Permission denied: " + Ipv4Address.format(destination) + " is a broadcast"
                        + " address, and the socket is not allowed to send to one (setBroadcast, SO_BROADCAST)");
            }
            if (!assigned(s.address)) { // its address was changed or removed: as Linux's EADDRNOTAVAIL
                throw new IOException("Cannot assign requested address: " + Ipv4Address.format(s.address)
                        + " is no longer an address of this host");
            }
            long queued = queuedSoFar();
            out.udp(s.address, s.port, destination, port, payload, clock.getAsLong());
            wakeIfQueuedSince(queued);
        } finally {
            unlock();
        }
    }

    void unbind(UdpSocketImpl s) {
        lock.lock();
        try {
            udpTable.remove(s);
        } finally {
            unlock();
        }
    }

    /** The bound UDP sockets, by port. */
    public List<UdpSocketInfo> udpSockets() {
        return locked(() -> udpTable.all().stream()
                .map(s -> new UdpSocketInfo(new Ipv4Address(s.address), s.port, s.receiveQueueBytes())).toList());
    }

    // ---- ICMP echo (ping)

    /** Opens an echo socket with an identifier no other open one has. */
    public EchoSocket openEcho() {
        lock.lock();
        try {
            int id;
            do {
                id = nextEchoId++ & 0xffff;
            } while (echoSocket(id) != null);
            EchoSocket s = new EchoSocket(this, id);
            if (stopped != null) {
                s.fail(stopped); // a ping begun as the stack stopped waited for replies for ever
                return s;
            }
            List<EchoSocket> list = new ArrayList<>(List.of(echoSockets));
            list.add(s);
            echoSockets = list.toArray(new EchoSocket[0]);
            return s;
        } finally {
            unlock();
        }
    }

    long sendEcho(EchoSocket s, int destination, int sequence, int dataLength) throws IOException {
        lock.lock();
        try {
            long now = clock.getAsLong();
            long queued = queuedSoFar();
            out.echoRequest(s.identifier, sequence, destination, dataLength, now);
            wakeIfQueuedSince(queued);
            return now;
        } finally {
            unlock();
        }
    }

    void closeEcho(EchoSocket s) {
        lock.lock();
        try {
            List<EchoSocket> list = new ArrayList<>(List.of(echoSockets));
            list.remove(s);
            echoSockets = list.toArray(new EchoSocket[0]);
        } finally {
            unlock();
        }
    }

    EchoSocket echoSocket(int identifier) {
        for (EchoSocket s : echoSockets) {
            if (s.identifier == identifier) {
                return s;
            }
        }
        return null;
    }

    // ---- what the shell shows

    public List<InterfaceInfo> interfaces() {
        return locked(() -> interfaces.stream().sorted(Comparator.comparingInt(Interface::index))
                .map(i -> new InterfaceInfo(i.index(), i.name(), i.macAddress(), i.mtu(), i.isUp(), i.isRunning(),
                        i.link().isLoopback(), i.cidr(), i.gateway(), i.link().counters(),
                        i.link() instanceof DeviceLink d ? d.device() : null))
                .toList());
    }

    /** The routes {@code ip route} shows: default routes first, then connected ones. */
    public List<Route> routes() {
        return locked(() -> routes.shown());
    }

    /** Host routes taken from ICMP redirects, not expired ({@code ip route show cache}). */
    public List<Route> redirectedRoutes() {
        return locked(() -> routes.redirected());
    }

    /** Takes an ICMP redirect that came on {@code on} from {@code from}; under the lock (the input path's). */
    boolean redirect(int destination, int gateway, int from, Interface on) {
        return routes.redirect(destination, gateway, from, on);
    }

    /** The route a packet to {@code destination} would take, or null. */
    public Route routeTo(int destination) {
        return locked(() -> out.route(destination));
    }

    public List<Neighbour> neighbours() {
        return locked(() -> {
            List<Neighbour> all = new ArrayList<>();
            for (Interface i : interfaces) {
                all.addAll(i.neighbours(clock.getAsLong()));
            }
            return all;
        });
    }

    /** The counters that are not zero. */
    public Map<Counter, Long> counters() {
        return locked(() -> counters.nonZero());
    }

    /** One counter. */
    public long counter(Counter c) {
        return locked(() -> counters.get(c));
    }

    /** RX_DROP plus RX_DONE: every frame the stack has taken from its links. */
    public long framesAccountedFor() {
        return locked(() -> counters.sum(Counter.Kind.RX_DROP) + counters.sum(Counter.Kind.RX_DONE));
    }

    /** Datagrams being reassembled now. */
    public int reassembliesInProgress() {
        return locked(() -> reassembly.inProgress());
    }

    /** ICMP time exceeded (RFC 792: fragment reassembly) to the sender of a datagram whose fragments timed out. */
    private void reassemblyTimedOut(ByteBuffer buffer, int headerAt, int quotedEnd, long now) {
        if (timedOut.wrapQuoted(buffer, headerAt, quotedEnd) != null) {
            return;
        }
        for (Interface i : active) {
            if (i.address() == timedOut.destination()) {
                out.icmpError(i, timedOut, false, Icmp.Type.TIME_EXCEEDED.value(), Icmp.REASSEMBLY_TIME_EXCEEDED, now);
                return;
            }
        }
    }

    private Interface find(String name) {
        for (Interface i : interfaces) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        return null;
    }

    private Interface require(String name) {
        Interface i = find(name);
        if (i == null) {
            throw new IllegalArgumentException("no interface " + name);
        }
        return i;
    }

    /** After a configuration change: the routes and the array the data path iterates. */
    private void changed() {
        active = interfaces.toArray(new Interface[0]);
        routes.rebuild(interfaces, loopback);
        wake.run();
    }

    /** Frames queued for ARP so far on every interface. */
    private long queuedSoFar() {
        long n = 0;
        for (Interface i : active) {
            n += i.framesQueuedForArp();
        }
        return n;
    }

    /** Wakes the stack's thread when a send queued a frame for ARP: a retransmission timer it does not know of. */
    private void wakeIfQueuedSince(long before) {
        if (queuedSoFar() != before) {
            wake.run();
        }
    }
}
