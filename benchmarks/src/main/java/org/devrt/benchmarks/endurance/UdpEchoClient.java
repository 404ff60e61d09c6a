package org.devrt.benchmarks.endurance;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * UDP round trips through the runtime's stack and NIC to the {@link UdpPeer}'s echo: a datagram of random length
 * and content with a sequence number, then its echo, compared byte for byte. No answer within
 * {@value #TIMEOUT_MILLIS} ms is a loss (expected while the NIC or its driver is away), not an error; an
 * exception is an error, after which the socket is closed and bound again.
 */
final class UdpEchoClient implements Runnable {
    static final long TIMEOUT_MILLIS = 500;
    private static final long PACE_NANOS = 5_000_000;
    private static final long BACKOFF_NANOS = 100_000_000;

    private final NetApi net;
    private final ClientErrors errors;
    private final InetSocketAddress peer;
    private final ByteBuffer request = VolumeClient.pageAligned(1024);
    private final ByteBuffer reply = VolumeClient.pageAligned(2048);
    private volatile boolean running = true;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong echoed = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong corrupt = new AtomicLong();

    UdpEchoClient(NetApi net, ClientErrors errors) throws Exception {
        this.net = net;
        this.errors = errors;
        peer = new InetSocketAddress(InetAddress.getByName(UdpPeer.ADDRESS), UdpPeer.ECHO_PORT);
    }

    @Override
    public void run() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Object socket = null;
        long sequence = 0;
        while (running) {
            try {
                if (socket == null) {
                    socket = net.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0));
                }
                request.clear().limit(random.nextInt(Long.BYTES, request.capacity() + 1));
                request.putLong(++sequence);
                while (request.hasRemaining()) {
                    request.put((byte) random.nextInt());
                }
                request.flip();
                net.send(socket, request.duplicate(), peer);
                sent.incrementAndGet();
                awaitEcho(socket, sequence);
                LockSupport.parkNanos(PACE_NANOS);
            } catch (Exception e) {
                errors.record("udp", e);
                if (socket != null) {
                    try {
                        net.close(socket);
                    } catch (Exception closing) {
                        errors.record("udp", closing);
                    }
                    socket = null;
                }
                LockSupport.parkNanos(BACKOFF_NANOS);
            }
        }
        if (socket != null) {
            try {
                net.close(socket);
            } catch (Exception closing) {
                errors.record("udp", closing);
            }
        }
    }

    /** Waits for this sequence number's echo, skipping late echoes of earlier ones. */
    private void awaitEcho(Object socket, long sequence) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                lost.incrementAndGet();
                return;
            }
            reply.clear();
            try {
                net.receive(socket, reply, Duration.ofNanos(left));
            } catch (SocketTimeoutException e) {
                lost.incrementAndGet();
                return;
            }
            reply.flip();
            if (reply.remaining() >= Long.BYTES && reply.getLong(0) == sequence) {
                if (reply.equals(request)) {
                    echoed.incrementAndGet();
                } else {
                    corrupt.incrementAndGet();
                }
                return;
            }
        }
    }

    void stop() {
        running = false;
    }
}
