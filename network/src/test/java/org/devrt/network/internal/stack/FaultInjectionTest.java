package org.devrt.network.internal.stack;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.testing.FakeClock;
import org.devrt.network.internal.testing.FaultyLink;
import org.devrt.network.internal.testing.TwoStacks;
import org.junit.Test;

/**
 * Two stacks on a wire that loses, duplicates, reorders and corrupts frames both ways: a UDP echo runs over it; what
 * arrives is intact, every frame is accounted for, nothing is thrown.
 */
public class FaultInjectionTest {
    private static final int ROUNDS = 2000;

    private FaultyLink aLink;
    private FaultyLink bLink;
    private final TwoStacks two = new TwoStacks(l -> aLink = new FaultyLink(l, 1).faults(0.1, 0.05, 0.1, 0.1),
            l -> bLink = new FaultyLink(l, 2).faults(0.1, 0.05, 0.1, 0.1));
    private final Stack a = two.a;
    private final Stack b = two.b;
    private final FakeClock clock = two.clock;

    @Test
    public void aUdpEchoSurvivesLossDuplicationReorderingAndCorruption() throws Exception {
        UdpSocketImpl client = a.bindUdpSocket(0, 4000);
        UdpSocketImpl server = b.bindUdpSocket(0, 7);
        InetSocketAddress serverAddress = new InetSocketAddress(TwoStacks.B.toInetAddress(), 7);
        Set<Integer> echoed = new HashSet<>();
        ByteBuffer in = ByteBuffer.allocate(2048);
        for (int round = 0; round < ROUNDS; round++) {
            client.send(message(round), serverAddress);
            for (int step = 0; step < 3; step++) {
                b.poll(clock.getAsLong());
                InetSocketAddress from;
                while ((from = poll(server, in)) != null) {
                    assertIntact(in);
                    in.flip();
                    server.send(in, from);
                    in.clear();
                }
                a.poll(clock.getAsLong());
                while (poll(client, in) != null) {
                    assertIntact(in);
                    echoed.add(in.getInt(0));
                    in.clear();
                }
            }
            clock.advanceMillis(10);
        }
        assertTrue("most of the echo came back: " + echoed.size(), echoed.size() > ROUNDS / 2);
        assertTrue(aLink.corrupted > 0 && aLink.lost > 0 && aLink.duplicated > 0 && aLink.reordered > 0);
        assertEquals("every frame a sent, b counted", aLink.passed, b.framesAccountedFor());
        assertEquals("every frame b sent, a counted", bLink.passed, a.framesAccountedFor());
        long caught = b.counter(Counter.IPV4_BAD_CHECKSUM) + b.counter(Counter.UDP_BAD_CHECKSUM)
                + b.counter(Counter.FRAME_NOT_FOR_US) + b.counter(Counter.FRAME_MULTICAST);
        assertTrue("corruption is caught by checksums and addresses: " + b.counters(), caught > 0);
    }

    private static ByteBuffer message(int round) {
        ByteBuffer m = ByteBuffer.allocate(4 + 100);
        m.putInt(round);
        for (int i = 0; i < 100; i++) {
            m.put((byte) (round + i));
        }
        return m.flip();
    }

    private static void assertIntact(ByteBuffer in) {
        int round = in.getInt(0);
        assertEquals(104, in.position());
        for (int i = 0; i < 100; i++) {
            assertEquals((byte) (round + i), in.get(4 + i));
        }
    }

    private static InetSocketAddress poll(UdpSocketImpl s, ByteBuffer into) throws Exception {
        try {
            return s.receive(into, Duration.ZERO);
        } catch (SocketTimeoutException none) {
            return null;
        }
    }
}
