package org.devrt.network.internal.wire;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;

import org.junit.Test;

public class IcmpTest {
    /** Echo request, identifier 0x1234, sequence 1, data "abcdefgh". */
    static final String ECHO = "08 00 5435 1234 0001 6162636465666768";

    private final Icmp.Packet packet = new Icmp.Packet();

    @Test
    public void readsEveryFieldOfAGoldenEchoRequest() {
        ByteBuffer b = Hex.buffer(ECHO);
        assertNull(packet.wrap(b, 0, b.limit()));
        assertSame(Icmp.Type.ECHO_REQUEST, packet.type());
        assertEquals(8, packet.typeValue());
        assertEquals(0, packet.code());
        assertEquals(0x5435, packet.checksum());
        assertTrue(packet.checksumValid());
        assertEquals(0x1234, packet.identifier());
        assertEquals(1, packet.sequence());
        assertEquals(0x12340001, packet.restOfHeader());
        assertEquals(8, packet.dataOffset());
        assertEquals(8, packet.dataLength());
    }

    @Test
    public void emitsTheHeaderAndChecksumOverDataAlreadyInTheBuffer() {
        ByteBuffer out = Hex.filled(18);
        out.put(8, "abcdefgh".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Icmp.Repr.echoRequest(0x1234, 1, 8).emit(new Icmp.Packet().wrapForEmit(out, 0, 16));
        assertEquals(ECHO.replace(" ", "") + "a5a5", Hex.of(out));
    }

    @Test
    public void parseThenEmitRoundTrips() throws Exception {
        ByteBuffer b = Hex.buffer(ECHO);
        assertNull(packet.wrap(b, 0, b.limit()));
        Icmp.Repr repr = Icmp.Repr.parse(packet);
        assertEquals(Icmp.Repr.echoRequest(0x1234, 1, 8), repr);
        assertEquals(0x1234, repr.identifier());
        assertEquals(1, repr.sequence());
        ByteBuffer out = Hex.buffer(ECHO);
        out.putInt(0, 0xa5a5a5a5).putInt(4, 0xa5a5a5a5);
        repr.emit(new Icmp.Packet().wrapForEmit(out, 0, repr.bufferLength()));
        assertEquals(ECHO.replace(" ", ""), Hex.of(out));
    }

    @Test
    public void anEchoReplyDiffersOnlyInTypeAndChecksum() throws Exception {
        ByteBuffer b = Hex.buffer(ECHO);
        Icmp.Repr.echoReply(0x1234, 1, 8).emit(new Icmp.Packet().wrapForEmit(b, 0, 16));
        assertNull(packet.wrap(b, 0, 16));
        assertSame(Icmp.Type.ECHO_REPLY, packet.type());
        assertEquals("checksum moves by the type's 8 << 8", 0x5435 + 0x0800, packet.checksum());
        assertTrue(packet.checksumValid());
    }

    @Test
    public void aMessageShorterThanEightBytesIsTruncated() {
        ByteBuffer b = Hex.buffer("08 00 5435 1234 00");
        assertEquals(Malformed.TRUNCATED, packet.wrap(b, 0, b.limit()));
    }

    @Test
    public void aBadChecksumIsRefusedByParse() {
        ByteBuffer b = Hex.buffer(ECHO);
        b.put(15, (byte) 'x');
        assertNull(packet.wrap(b, 0, b.limit()));
        assertFalse(packet.checksumValid());
        try {
            Icmp.Repr.parse(packet);
            fail();
        } catch (MalformedPacketException e) {
            assertEquals(Malformed.BAD_CHECKSUM, e.reason());
        }
    }

    @Test
    public void anUnknownTypeIsAValueThatRoundTrips() throws Exception {
        ByteBuffer out = Hex.filled(8);
        new Icmp.Repr(Icmp.Type.of(42), 7, 0xdeadbeef, 0).emit(new Icmp.Packet().wrapForEmit(out, 0, 8));
        assertNull(packet.wrap(out, 0, 8));
        Icmp.Repr repr = Icmp.Repr.parse(packet);
        assertEquals(new Icmp.Type(42), repr.type());
        assertEquals("Unknown(42)", repr.type().toString());
        assertFalse(repr.type().isError());
        assertEquals(7, repr.code());
        assertEquals(0xdeadbeef, repr.restOfHeader());
    }

    @Test
    public void aPortUnreachableQuotesTheOffendingHeaderAndEightBytes() throws Exception {
        String quoted = Ipv4Test.GOLDEN + " 04d2 0035 005f 0000";
        ByteBuffer out = Hex.filled(8 + 28);
        out.put(8, Hex.bytes(quoted));
        Icmp.Repr.destinationUnreachable(Icmp.PORT_UNREACHABLE, 28).emit(new Icmp.Packet().wrapForEmit(out, 0, 36));
        assertNull(packet.wrap(out, 0, 36));
        Icmp.Repr repr = Icmp.Repr.parse(packet);
        assertEquals(Icmp.Type.DESTINATION_UNREACHABLE, repr.type());
        assertTrue(repr.type().isError());
        assertEquals(Icmp.PORT_UNREACHABLE, repr.code());
        Ipv4.Packet inner = new Ipv4.Packet();
        assertNull(inner.wrapQuoted(out, packet.dataOffset(), packet.end()));
        assertEquals(Ipv4Address.parse("192.168.0.199").value(), inner.destination());
        assertEquals(Ipv4.Protocol.UDP, inner.protocol());
        assertEquals(53, Bytes.u16(out, inner.payloadOffset() + Udp.DESTINATION_PORT));
    }
}
