package org.devrt.network.internal.stack;

import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.US;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.testing.TwoStacks;
import org.devrt.network.internal.testing.StackFixture;
import org.junit.Test;

/**
 * The steady-state data path allocates nothing: bytes allocated by this thread (ThreadMXBean) per packet, after a
 * warm-up, for echo replies, UDP receive and send, and a UDP request/response between two stacks.
 */
public class AllocationTest {
    private static final int WARMUP = 20_000;
    private static final int PACKETS = 50_000;
    /** Below one byte per packet: a stray allocation in the measured loop would show up as tens of bytes. */
    private static final double LIMIT = 1.0;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    private interface Step {
        void run() throws Exception;
    }

    private static double bytesPerPacket(Step step) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            step.run();
        }
        long before = allocated();
        for (int i = 0; i < PACKETS; i++) {
            step.run();
        }
        return (allocated() - before) / (double) PACKETS;
    }

    @Test
    public void answeringEchoRequestsAllocatesNothing() throws Exception {
        StackFixture f = new StackFixture();
        f.resolvePeer();
        f.tap.capture(false);
        ByteBuffer request = ByteBuffer.wrap(Frames.echoRequest(PEER, US, 1, 1, new byte[56]));
        long now = f.clock.getAsLong();
        long sentBefore = f.tap.sentCount();
        double perPacket = bytesPerPacket(() -> {
            f.tap.inject(request);
            f.stack.poll(now);
        });
        report("echo reply", perPacket);
        assertEquals("every request answered", WARMUP + PACKETS, f.tap.sentCount() - sentBefore);
        assertTrue(perPacket + " bytes per echo", perPacket < LIMIT);
    }

    /** A socket's receive queue is allocated when its first datagram comes: each udpsend made 256 KiB of garbage. */
    @Test
    public void bindingAUdpSocketDoesNotAllocateItsQueue() throws Exception {
        StackFixture f = new StackFixture();
        f.stack.bindUdpSocket(0, 0).close(); // the classes loaded, the stack warm
        long before = allocated();
        for (int i = 0; i < 10; i++) {
            f.stack.bindUdpSocket(0, 0).close();
        }
        long perSocket = (allocated() - before) / 10;
        report("UDP bind and close", perSocket);
        assertTrue(perSocket + " bytes per socket", perSocket < 16 * 1024);
    }

    @Test
    public void receivingUdpAllocatesNothing() throws Exception {
        StackFixture f = new StackFixture();
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        ByteBuffer datagram = ByteBuffer.wrap(Frames.udp(PEER, 1234, US, 5000, new byte[100]));
        ByteBuffer into = ByteBuffer.allocate(2048);
        long now = f.clock.getAsLong();
        double perPacket = bytesPerPacket(() -> {
            f.tap.inject(datagram);
            f.stack.poll(now);
            into.clear();
            s.receive(into, Duration.ZERO);
        });
        report("UDP receive", perPacket);
        assertTrue(perPacket + " bytes per datagram", perPacket < LIMIT);
    }

    @Test
    public void sendingUdpAllocatesNothing() throws Exception {
        StackFixture f = new StackFixture();
        f.resolvePeer();
        f.tap.capture(false);
        UdpSocketImpl s = f.stack.bindUdpSocket(0, 5000);
        ByteBuffer payload = ByteBuffer.allocate(100);
        InetSocketAddress peer = new InetSocketAddress(PEER.toInetAddress(), 7);
        double perPacket = bytesPerPacket(() -> {
            payload.clear();
            s.send(payload, peer);
        });
        report("UDP send", perPacket);
        assertTrue(perPacket + " bytes per datagram", perPacket < LIMIT);
    }

    @Test
    public void aUdpRequestResponseBetweenTwoStacksAllocatesNothing() throws Exception {
        TwoStacks two = new TwoStacks();
        Stack a = two.a;
        Stack b = two.b;
        UdpSocketImpl client = a.bindUdpSocket(0, 4000);
        UdpSocketImpl server = b.bindUdpSocket(0, 7);
        InetSocketAddress serverAddress = new InetSocketAddress(TwoStacks.B.toInetAddress(), 7);
        ByteBuffer request = ByteBuffer.allocate(64);
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        long now = two.clock.getAsLong();
        ArpResolutionTest.send(client, "resolve", TwoStacks.B, 9);
        two.exchange(3);
        double perPacket = bytesPerPacket(() -> {
            request.clear();
            client.send(request, serverAddress);
            b.poll(now);
            buffer.clear();
            InetSocketAddress from = server.receive(buffer, Duration.ZERO);
            buffer.flip();
            server.send(buffer, from);
            a.poll(now);
            buffer.clear();
            client.receive(buffer, Duration.ZERO);
        }) / 2;
        report("UDP request/response, per datagram", perPacket);
        assertTrue(perPacket + " bytes per datagram", perPacket < LIMIT);
    }

    private static void report(String what, double perPacket) {
        System.out.printf("allocation: %s: %.3f bytes per packet%n", what, perPacket);
    }
}
