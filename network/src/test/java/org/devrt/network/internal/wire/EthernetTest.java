package org.devrt.network.internal.wire;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.wire.Ethernet.EtherType;
import org.junit.Test;

public class EthernetTest {
    /** A broadcast ARP frame's header from 52:54:00:12:34:56 (the payload is not Ethernet's business). */
    static final String GOLDEN = "ffffffffffff 525400123456 0806 0001";
    static final MacAddress SRC = MacAddress.parse("52:54:00:12:34:56");

    private final Ethernet.Frame frame = new Ethernet.Frame();

    @Test
    public void readsEveryFieldOfAGoldenHeader() {
        assertNull(frame.wrap(Hex.buffer(GOLDEN)));
        assertEquals(MacAddress.BROADCAST, frame.destination());
        assertEquals(SRC, frame.source());
        assertEquals(EtherType.ARP, frame.etherType());
        assertEquals(0x0806, frame.etherTypeValue());
        assertEquals(14, frame.payloadOffset());
        assertTrue(frame.destinationIsBroadcast());
        assertTrue(frame.destinationIsMulticast());
        assertTrue(frame.destinationIs(MacAddress.BROADCAST));
        assertTrue(frame.sourceIs(SRC));
    }

    @Test
    public void emitsExactlyTheHeaderBytesIntoAFilledBuffer() {
        ByteBuffer out = Hex.filled(16);
        new Ethernet.Repr(SRC, MacAddress.BROADCAST, EtherType.ARP).emit(new Ethernet.Frame().wrapForEmit(out, 0, 16));
        assertEquals("ffffffffffff5254001234560806a5a5", Hex.of(out));
    }

    @Test
    public void parseThenEmitRoundTrips() {
        assertNull(frame.wrap(Hex.buffer(GOLDEN)));
        Ethernet.Repr repr = Ethernet.Repr.parse(frame);
        ByteBuffer out = Hex.filled(14);
        repr.emit(new Ethernet.Frame().wrapForEmit(out, 0, 14));
        assertEquals(GOLDEN.replace(" ", "").substring(0, 28), Hex.of(out));
        assertEquals(14, repr.headerLength());
    }

    @Test
    public void aFrameShorterThanTheHeaderIsTruncated() {
        assertEquals(Malformed.TRUNCATED, frame.wrap(Hex.buffer("ffffffffffff 525400123456 08")));
        assertEquals(Malformed.TRUNCATED, frame.wrap(ByteBuffer.allocate(0)));
    }

    @Test
    public void anUnknownEtherTypeIsAValueThatRoundTrips() {
        assertNull(frame.wrap(Hex.buffer("ffffffffffff 525400123456 88b5")));
        EtherType type = frame.etherType();
        assertEquals(new EtherType(0x88b5), type);
        assertFalse(type.isKnown());
        assertEquals("Unknown(0x88b5)", type.toString());
        ByteBuffer out = Hex.filled(14);
        Ethernet.Repr.parse(frame).emit(new Ethernet.Frame().wrapForEmit(out, 0, 14));
        assertEquals("ffffffffffff52540012345688b5", Hex.of(out));
    }

    @Test
    public void knownEtherTypesAreTheConstants() {
        assertSame(EtherType.IPV4, EtherType.of(0x0800));
        assertSame(EtherType.ARP, EtherType.of(0x0806));
        assertSame(EtherType.IPV6, EtherType.of(0x86dd));
        assertTrue(EtherType.IPV4.isKnown());
        assertEquals("IPv4", EtherType.IPV4.toString());
    }

    @Test(expected = IllegalArgumentException.class)
    public void anEtherTypeHasSixteenBits() {
        EtherType.of(0x10000);
    }

    @Test
    public void readsInNetworkOrderWhateverTheBufferOrder() {
        ByteBuffer le = Hex.buffer(GOLDEN).order(ByteOrder.LITTLE_ENDIAN);
        assertNull(frame.wrap(le));
        assertEquals(EtherType.ARP, frame.etherType());
    }

    @Test
    public void wrapsARangeOfALargerBuffer() {
        ByteBuffer b = Hex.buffer("0000 " + GOLDEN);
        assertNull(frame.wrap(b, 2, b.limit()));
        assertEquals(SRC, frame.source());
        assertEquals(16, frame.payloadOffset());
        assertEquals(2, frame.start());
    }

    @Test(expected = IllegalArgumentException.class)
    public void emittingNeedsRoomForTheHeader() {
        new Ethernet.Frame().wrapForEmit(ByteBuffer.allocate(13), 0, 13);
    }
}
