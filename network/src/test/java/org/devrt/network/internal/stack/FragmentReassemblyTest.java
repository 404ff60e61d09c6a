package org.devrt.network.internal.stack;

import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.US;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.devrt.network.internal.testing.StackFixture;
import org.junit.Test;

public class FragmentReassemblyTest {
    private static final int PORT = 5000;
    private final StackFixture f = new StackFixture(
            StackConfig.DEFAULTS.withReassembly(2, 8000, TimeUnit.SECONDS.toNanos(30)).withUdpQueue(8, 64 * 1024));
    /** A UDP datagram (header included) of 3008 bytes: three fragments of 1480, 1480 and 48. */
    private final byte[] datagram = datagram(3000);

    private byte[] datagram(int payload) {
        byte[] data = new byte[payload];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        return Frames.udpDatagram(PEER, 1234, US, PORT, data);
    }

    private byte[] fragment(int id, int offset, int length, boolean more) {
        return Frames.fragment(PEER, US, Ipv4.Protocol.UDP, id, datagram, offset, length, more);
    }

    @Test
    public void fragmentsInAnyOrderAreReassembledAndDeliveredOnce() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, PORT);
        f.receive(fragment(1, 2960, 48, false), fragment(1, 0, 1480, true));
        assertEquals(0, s.receiveQueueBytes());
        f.receive(fragment(1, 1480, 1480, true));
        ByteBuffer into = ByteBuffer.allocate(4000);
        s.receive(into, Duration.ZERO);
        assertEquals(3000, into.position());
        assertArrayEquals(java.util.Arrays.copyOfRange(datagram, 8, datagram.length), java.util.Arrays.copyOf(into.array(), 3000));
        assertEquals(1, f.stack.counter(Counter.FRAGMENT_REASSEMBLED));
        assertEquals(2, f.stack.counter(Counter.FRAGMENT_QUEUED));
        assertEquals(1, f.stack.counter(Counter.UDP_DELIVERED));
        assertEquals(0, f.stack.reassembliesInProgress());
        assertEquals("every frame counted once", 3, f.stack.framesAccountedFor());
    }

    @Test
    public void aDuplicateFragmentIsCountedAndChangesNothing() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, PORT);
        f.receive(fragment(1, 0, 1480, true), fragment(1, 0, 1480, true), fragment(1, 1480, 1480, true),
                fragment(1, 2960, 48, false));
        assertEquals(1, f.stack.counter(Counter.FRAGMENT_DUPLICATE));
        assertEquals(3000, s.receiveQueueBytes());
    }

    @Test
    public void anOverlappingFragmentDropsTheWholeDatagram() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, PORT);
        f.receive(fragment(1, 0, 1480, true), fragment(1, 1472, 1488, true), fragment(1, 1480, 1480, true),
                fragment(1, 2960, 48, false));
        assertEquals(1, f.stack.counter(Counter.FRAGMENT_OVERLAP));
        assertEquals(0, s.receiveQueueBytes());
        assertEquals("the rest starts a datagram that never completes", 1, f.stack.reassembliesInProgress());
    }

    @Test
    public void fragmentsThatTimeOutAreDroppedAndTheSenderToldIfTheFirstCame() {
        f.resolvePeer();
        f.receive(fragment(1, 0, 1480, true));
        f.clock.advance(Duration.ofSeconds(30));
        f.poll();
        assertEquals(1, f.stack.reassembliesInProgress());
        f.clock.advanceMillis(1);
        f.poll();
        assertEquals(0, f.stack.reassembliesInProgress());
        assertEquals(1, f.stack.counter(Counter.FRAGMENT_TIMEOUT));
        List<byte[]> sent = f.sent();
        assertEquals(1, sent.size());
        Icmp.Packet icmp = Frames.icmpOf(sent.get(0));
        assertEquals(Icmp.Type.TIME_EXCEEDED, icmp.type());
        assertEquals(Icmp.REASSEMBLY_TIME_EXCEEDED, icmp.code());
        assertEquals("header and 8 bytes", 28, icmp.dataLength());
        f.receive(fragment(2, 1480, 1480, true));
        f.clock.advance(Duration.ofSeconds(31));
        f.poll();
        assertEquals("no first fragment, no ICMP", List.of(), f.sent());
    }

    /**
     * Memory is bounded by the datagrams in progress (2 here), and first fragments that never get the rest do not
     * stop reassembly: a new datagram takes the oldest one's place (it was refused until the others timed out).
     */
    @Test
    public void aNewDatagramTakesTheOldestUnfinishedOnesPlaceWhenEverySlotIsInUse() throws Exception {
        UdpSocketImpl s = f.stack.bindUdpSocket(0, PORT);
        f.receive(fragment(1, 0, 1480, true));
        f.clock.advance(Duration.ofMillis(1));
        f.receive(fragment(2, 0, 1480, true));
        f.clock.advance(Duration.ofMillis(1));
        f.receive(fragment(3, 0, 1480, true), fragment(3, 1480, 1480, true), fragment(3, 2960, 48, false));
        assertEquals("datagram 3 delivered", 3000, s.receiveQueueBytes());
        assertEquals("datagram 1, the oldest, dropped for it", 1, f.stack.counter(Counter.FRAGMENT_EVICTED));
        assertEquals("datagram 2 still waits for its rest", 1, f.stack.reassembliesInProgress());

        f.receive(fragment(2, 1480, 1480, true), fragment(2, 2960, 48, false));
        assertEquals("datagram 2 delivered too", 6000, s.receiveQueueBytes());
        assertEquals("every frame counted once", 7, f.stack.framesAccountedFor());
    }

    @Test
    public void fragmentsBeyondTheLargestDatagramAreRefused() {
        byte[] big = Frames.fragment(PEER, US, Ipv4.Protocol.UDP, 9, new byte[8008], 8000, 8, false);
        f.receive(big);
        assertEquals(1, f.stack.counter(Counter.FRAGMENT_TOO_BIG));
        byte[] pingOfDeath = Frames.fragment(PEER, US, Ipv4.Protocol.UDP, 9, new byte[1480], 0, 1480, false);
        ByteBuffer b = ByteBuffer.wrap(pingOfDeath);
        b.putShort(14 + 6, (short) (0x1fff));
        new Ipv4.Packet().wrapForEmit(b, 14, b.capacity()).fillChecksum();
        f.receive(pingOfDeath);
        assertEquals(2, f.stack.counter(Counter.FRAGMENT_TOO_BIG));
    }

    /**
     * 65515 bytes of data fit a datagram with a 20-byte header, but not one whose first fragment carries 40 bytes of
     * options: reassembled, its total length would be 65575, more than the field can say. Dropped, as Linux's
     * ip_frag_reasm does; it was delivered with the length wrapped to 39.
     */
    @Test
    public void aDatagramThatWouldReassembleBeyond65535BytesIsDropped() {
        StackFixture g = new StackFixture(StackConfig.DEFAULTS);
        g.resolvePeer();
        byte[] whole = new byte[65515];
        for (int offset = 0; offset < whole.length; offset += 1480) {
            int length = Math.min(1480, whole.length - offset);
            boolean more = offset + length < whole.length;
            byte[] frame = Frames.fragment(PEER, US, Ipv4.Protocol.UDP, 7, whole, offset, length, more);
            g.receive(offset == 0 ? withNopOptions(frame, 40) : frame);
        }
        assertEquals(1, g.stack.counter(Counter.FRAGMENT_TOO_BIG));
        assertEquals(0, g.stack.counter(Counter.FRAGMENT_REASSEMBLED));
        assertEquals("nothing answered", 0, g.sent().size());
        assertEquals(0, g.stack.reassembliesInProgress());
    }

    /** The frame with {@code n} bytes of NOP options inserted after its 20-byte IPv4 header (IHL, length, checksum). */
    private static byte[] withNopOptions(byte[] frame, int n) {
        byte[] out = new byte[frame.length + n];
        System.arraycopy(frame, 0, out, 0, 14 + 20);
        Arrays.fill(out, 14 + 20, 14 + 20 + n, (byte) 1);
        System.arraycopy(frame, 14 + 20, out, 14 + 20 + n, frame.length - 14 - 20);
        ByteBuffer b = ByteBuffer.wrap(out);
        b.put(14, (byte) (0x40 | (20 + n) / 4));
        b.putShort(14 + 2, (short) ((b.getShort(14 + 2) & 0xffff) + n));
        new Ipv4.Packet().wrapForEmit(b, 14, out.length).fillChecksum();
        return out;
    }

    @Test
    public void aFragmentBeforeTheLastMustBeAMultipleOfEightBytes() {
        f.receive(fragment(1, 0, 1478, true));
        assertEquals(1, f.stack.counter(Counter.FRAGMENT_BAD_LENGTH));
        assertEquals(0, f.stack.reassembliesInProgress());
    }

    /** The reply to an echo request that came in fragments goes in fragments too (it was counted and dropped). */
    @Test
    public void aReassembledEchoRequestIsAnsweredInFragmentsWhenTheReplyIsLargerThanTheMtu() {
        f.resolvePeer();
        byte[] data = new byte[1600];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        byte[] icmp = Frames.icmpMessage(Icmp.Repr.echoRequest(3, 4, data.length), data);
        f.receive(Frames.fragment(PEER, US, Ipv4.Protocol.ICMP, 77, icmp, 0, 800, true),
                Frames.fragment(PEER, US, Ipv4.Protocol.ICMP, 77, icmp, 800, icmp.length - 800, false));
        List<byte[]> reply = f.sent();
        assertEquals("fragments of the 1628-byte reply over a 1500-byte MTU", 2, reply.size());
        assertEquals("the first fragment fills the MTU", 14 + 1500, reply.get(0).length);
        byte[] whole = Frames.reassembled(reply);
        byte[] expected = Frames.icmpMessage(Icmp.Repr.echoReply(3, 4, data.length), data);
        assertArrayEquals("the reply, reassembled", expected, whole);
        assertEquals(1, f.stack.counter(Counter.FRAGMENT_SPLIT));
        assertEquals(2, f.stack.counter(Counter.FRAGMENT_CREATED));

        byte[] small = Frames.icmpMessage(Icmp.Repr.echoRequest(3, 5, 1000), new byte[1000]);
        f.receive(Frames.fragment(PEER, US, Ipv4.Protocol.ICMP, 78, small, 0, 504, true),
                Frames.fragment(PEER, US, Ipv4.Protocol.ICMP, 78, small, 504, small.length - 504, false));
        List<byte[]> sent = f.sent();
        assertEquals(1, sent.size());
        assertEquals(5, Frames.icmpOf(sent.get(0)).sequence());
        assertTrue(Frames.icmpOf(sent.get(0)).checksumValid());
        assertEquals(false, Frames.ipOf(sent.get(0)).isFragment());
    }
}
