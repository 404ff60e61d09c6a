package org.devrt.network.internal.stack;

import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.PEER_MAC;
import static org.devrt.network.internal.testing.Frames.US;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Random;

import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.testing.StackFixture;
import org.junit.Test;

/** Random and mutated frames at the link: nothing escapes, every frame lands in one counter, tables stay bounded. */
public class StackFuzzTest {
    private static final int FRAMES = 50_000;

    @Test
    public void randomAndMutatedFramesAreAllAccountedFor() throws Exception {
        StackFixture f = new StackFixture(StackConfig.DEFAULTS.withUdpQueue(16, 16 * 1024));
        f.stack.bindUdpSocket(0, 5000);
        f.tap.capture(false);
        Random random = new Random(42);
        byte[] whole = new byte[3000];
        List<byte[]> seeds = List.of(
                Frames.arpRequest(PEER_MAC, PEER, US),
                Frames.arpReply(PEER_MAC, PEER, Frames.OUR_MAC, US),
                Frames.echoRequest(PEER, US, 1, 1, new byte[56]),
                Frames.udp(PEER, 1234, US, 5000, new byte[20]),
                Frames.udp(PEER, 1234, US, 9, new byte[20]),
                Frames.fragment(PEER, US, Ipv4.Protocol.UDP, 5, whole, 0, 1480, true),
                Frames.fragment(PEER, US, Ipv4.Protocol.UDP, 5, whole, 1480, 1480, true),
                Frames.fragment(PEER, US, Ipv4.Protocol.UDP, 5, whole, 2960, 40, false));
        for (int i = 0; i < FRAMES; i++) {
            f.tap.inject(frame(random, seeds));
            if (i % 32 == 0) {
                f.clock.advanceMillis(random.nextInt(2000));
                f.poll();
            }
        }
        f.poll();
        assertEquals(f.stack.counters().toString(), FRAMES, f.stack.framesAccountedFor());
        assertTrue(f.stack.reassembliesInProgress() <= StackConfig.DEFAULTS.reassemblySlots());
        assertTrue(f.stack.neighbours().size() <= StackConfig.DEFAULTS.arp().cacheSize());
    }

    private static byte[] frame(Random random, List<byte[]> seeds) {
        if (random.nextInt(10) == 0) {
            byte[] noise = new byte[random.nextInt(1514)];
            random.nextBytes(noise);
            return noise;
        }
        byte[] f = seeds.get(random.nextInt(seeds.size())).clone();
        int mutations = random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = 14 + random.nextInt(Math.max(1, Math.min(f.length - 14, 48)));
            if (at < f.length) {
                f[at] = (byte) random.nextInt(256);
            }
        }
        if (random.nextInt(8) == 0) {
            f = java.util.Arrays.copyOf(f, random.nextInt(f.length + 1));
        }
        return f;
    }
}
