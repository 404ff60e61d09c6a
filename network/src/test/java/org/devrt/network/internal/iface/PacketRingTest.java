package org.devrt.network.internal.iface;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;

import org.junit.Test;

public class PacketRingTest {
    private static ByteBuffer packet(int length, int fill) {
        ByteBuffer b = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            b.put(i, (byte) fill);
        }
        return b;
    }

    private static void assertHead(PacketRing ring, int length, int fill, long tag) {
        ByteBuffer p = ring.peek();
        assertEquals(length, p.remaining());
        for (int i = p.position(); i < p.limit(); i++) {
            assertEquals((byte) fill, p.get(i));
        }
        assertEquals(tag, ring.peekTag());
        ring.remove();
    }

    @Test
    public void packetsComeOutInOrderWithTheirTags() {
        PacketRing ring = new PacketRing(4, 100);
        assertTrue(ring.offer(packet(10, 1), 0, 10, 11));
        assertTrue(ring.offer(packet(20, 2), 0, 20, 22));
        assertEquals(2, ring.size());
        assertEquals(30, ring.queuedBytes());
        assertHead(ring, 10, 1, 11);
        assertHead(ring, 20, 2, 22);
        assertTrue(ring.isEmpty());
        assertNull(ring.peek());
    }

    @Test
    public void itIsBoundedInPacketsAndInBytes() {
        PacketRing byCount = new PacketRing(2, 1000);
        assertTrue(byCount.offer(packet(1, 0), 0, 1, 0));
        assertTrue(byCount.offer(packet(1, 0), 0, 1, 0));
        assertFalse(byCount.offer(packet(1, 0), 0, 1, 0));
        PacketRing byBytes = new PacketRing(10, 100);
        assertTrue(byBytes.offer(packet(60, 0), 0, 60, 0));
        assertFalse(byBytes.offer(packet(41, 0), 0, 41, 0));
        assertTrue(byBytes.offer(packet(40, 0), 0, 40, 0));
        assertFalse("longer than the whole ring", new PacketRing(1, 10).offer(packet(11, 0), 0, 11, 0));
    }

    @Test
    public void aPacketThatDoesNotFitBeforeTheEndStartsAtZeroAndThePaddingIsFreedWithIt() {
        PacketRing ring = new PacketRing(10, 100);
        ring.offer(packet(40, 1), 0, 40, 1);
        ring.offer(packet(40, 2), 0, 40, 2);
        assertHead(ring, 40, 1, 1);
        assertTrue("30 bytes at 0..40 free, 20 at the end: it wraps", ring.offer(packet(30, 3), 0, 30, 3));
        assertFalse("10 left before the second packet", ring.offer(packet(11, 4), 0, 11, 4));
        assertHead(ring, 40, 2, 2);
        assertHead(ring, 30, 3, 3);
        assertTrue("empty again: the whole ring", ring.offer(packet(100, 5), 0, 100, 5));
    }

    @Test
    public void emptyPacketsAreFine() {
        PacketRing ring = new PacketRing(3, 10);
        assertTrue(ring.offer(packet(0, 0), 0, 0, 7));
        assertHead(ring, 0, 0, 7);
    }

    @Test
    public void aLongRunOfMixedSizesNeverCorruptsAPacket() {
        PacketRing ring = new PacketRing(8, 1000);
        java.util.ArrayDeque<int[]> expected = new java.util.ArrayDeque<>();
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 100_000; i++) {
            if (random.nextBoolean()) {
                int length = random.nextInt(300);
                if (ring.offer(packet(length, i), 0, length, i)) {
                    expected.add(new int[] {length, i});
                }
            } else if (!expected.isEmpty()) {
                int[] e = expected.poll();
                assertHead(ring, e[0], e[1], e[1]);
            }
        }
    }

    /** A driver lends frames in direct (DMA) buffers; the view of the last packet peeked must not limit the next. */
    @Test
    public void aFrameFromADirectBufferIsTakenWhateverTheLastPeekLeftTheViewAt() {
        PacketRing ring = new PacketRing(4, 2048);
        assertTrue(ring.offer(packet(60, 1), 0, 60, 1));
        assertHead(ring, 60, 1, 1);
        ByteBuffer dma = ByteBuffer.allocateDirect(2048);
        for (int i = 0; i < 98; i++) {
            dma.put(100 + i, (byte) 7);
        }
        assertTrue(ring.offer(dma, 100, 98, 2));
        assertTrue(ring.offer(dma, 100, 98, 3));
        assertHead(ring, 98, 7, 2);
        assertHead(ring, 98, 7, 3);
    }
}
