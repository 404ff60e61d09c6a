package org.devrt.network.internal.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.devrt.network.UdpSocket;
import org.devrt.network.internal.iface.PacketRing;
import org.devrt.network.internal.wire.Ipv4Address;

/**
 * A bound UDP socket: a bounded receive queue that the stack fills and callers drain, under the socket's
 * own lock, a private monitor: the stack delivers under its lock and then takes this one, so a caller that
 * synchronizes on the socket object it was given (to pair a send with its receive, say) and sends meanwhile, which
 * takes the stack's lock, must not hold the lock the stack waits for. Sends go straight to the stack (under the
 * stack's lock). The last sender's and the last target's
 * {@link InetSocketAddress} are kept, so a request/response loop with one peer allocates nothing.
 */
final class UdpSocketImpl implements UdpSocket, Stack.Readers {
    /** Longer waits are cut to this (Duration.toNanos would overflow near 292 years). */
    private static final Duration LONGEST_WAIT = Duration.ofDays(365);
    /** How long {@link #receive} spins before it waits on the monitor. */
    static final long SPIN_NANOS = 50_000;

    private final Stack stack;
    final int address;
    final int port;
    /** The next socket on the same port (the stack's port table chains them). */
    UdpSocketImpl next;
    private final PacketRing queue;
    /** Guards the queue and the state below; never the socket object, which is its callers'. */
    private final Object lock = new Object();
    /**
     * Datagrams a spinning receiver may take: set under the monitor when the stack, its lock released, wakes the
     * readers ({@link #wakeReaders}), so a receiver that sees one and answers at once does not find the stack's lock
     * taken; read without the monitor.
     */
    private volatile int queued;
    private String failure;
    private boolean closed;
    private long lastSenderTag = -1;
    private InetSocketAddress lastSender;
    private InetSocketAddress lastTarget;
    private int lastTargetAddress;
    /** SO_BROADCAST: read by the stack at each send. */
    volatile boolean broadcast;

    UdpSocketImpl(Stack stack, int address, int port, int queuePackets, int queueBytes) {
        this.stack = stack;
        this.address = address;
        this.port = port;
        this.queue = new PacketRing(queuePackets, queueBytes);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress(new Ipv4Address(address).toInetAddress(), port);
    }

    @Override
    public void setBroadcast(boolean on) {
        broadcast = on;
    }

    /** The stack has released its lock after delivering: the datagrams are the readers'. */
    @Override
    public void wakeReaders() {
        synchronized (lock) {
            queued = queue.size();
            lock.notifyAll();
        }
    }

    /** From the stack, under its lock: queues a datagram; false when the queue is full (the stack counts it). */
    boolean deliver(ByteBuffer buffer, int from, int length, int source, int sourcePort) {
        synchronized (lock) {
            if (closed) {
                return true;
            }
            if (!queue.offer(buffer, from, length, (source & 0xffffffffL) << 16 | sourcePort)) {
                return false;
            }
        }
        stack.wakeAfterUnlock(this); // the reader wakes once the stack's lock is free (it may answer at once)
        return true;
    }

    @Override
    public void send(ByteBuffer payload, InetSocketAddress target) throws IOException {
        int destination;
        synchronized (lock) {
            checkLocked();
            if (target != lastTarget) {
                if (target.isUnresolved()) {
                    throw new IOException("unresolved address " + target.getHostString());
                }
                try {
                    lastTargetAddress = Ipv4Address.of(target.getAddress()).value();
                } catch (IllegalArgumentException e) {
                    throw new IOException("Address family not supported: " + target.getAddress().getHostAddress());
                }
                lastTarget = target;
            }
            destination = lastTargetAddress;
        }
        stack.sendUdp(this, payload, destination, target.getPort());
    }

    /**
     * Waits first by spinning, for at most {@link #SPIN_NANOS}, then on the monitor. An answer to a request usually
     * comes sooner than a parked thread can be woken (each wake-up is a futex call and a reschedule on these two
     * CPUs): the spin saves that wake-up, as Linux's busy polling (SO_BUSY_POLL) or the JVM's own spinning before a
     * monitor parks does, and costs a waiting receiver at most that long on a CPU.
     */
    @Override
    public InetSocketAddress receive(ByteBuffer into, Duration timeout) throws IOException {
        long start = System.nanoTime();
        long wait = saturatedNanos(timeout);
        if (queued == 0) {
            long spinEnd = start + Math.min(wait, SPIN_NANOS);
            while (queued == 0 && System.nanoTime() - spinEnd < 0) {
                Thread.onSpinWait();
            }
        }
        return take(into, start + wait);
    }

    private InetSocketAddress take(ByteBuffer into, long deadline) throws IOException {
        synchronized (lock) {
            return takeLocked(into, deadline);
        }
    }

    private InetSocketAddress takeLocked(ByteBuffer into, long deadline) throws IOException {
        if (closed) { // whatever is queued: a worker stopped by close() went on with what had arrived before
            throw new IOException("Socket is closed");
        }
        while (queue.isEmpty()) {
            checkLocked();
            if (!Deadline.await(lock, deadline)) {
                throw new SocketTimeoutException("Receive timed out");
            }
        }
        ByteBuffer datagram = queue.peek();
        long tag = queue.peekTag();
        datagram.limit(datagram.position() + Math.min(datagram.remaining(), into.remaining()));
        into.put(datagram);
        queue.remove();
        queued = Math.max(0, queued - 1);
        if (tag != lastSenderTag) {
            lastSender = new InetSocketAddress(new Ipv4Address((int) (tag >>> 16)).toInetAddress(), (int) (tag & 0xffff));
            lastSenderTag = tag;
        }
        return lastSender;
    }

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return !closed && failure == null;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        stack.unbind(this);
    }

    /** From the stack: the socket can no longer work (its interface went away). */
    void fail(String message) {
        synchronized (lock) {
            failure = message;
            lock.notifyAll();
        }
    }

    /** Bytes waiting to be received, for netstat's Recv-Q. */
    int receiveQueueBytes() {
        synchronized (lock) {
            return queue.queuedBytes();
        }
    }

    void check() throws IOException {
        synchronized (lock) {
            checkLocked();
        }
    }

    private void checkLocked() throws IOException {
        if (closed) {
            throw new IOException("Socket is closed");
        }
        if (failure != null) {
            throw new IOException(failure);
        }
    }

    private static long saturatedNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT.toNanos() : d.toNanos();
    }
}
