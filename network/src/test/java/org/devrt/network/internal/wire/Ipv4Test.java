package org.devrt.network.internal.wire;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.util.List;

import org.devrt.network.internal.wire.Ipv4.Protocol;
import org.junit.Test;

public class Ipv4Test {
    /** The header of Wikipedia's checksum example: UDP, 115 bytes, DF, TTL 64, 192.168.0.1 to 192.168.0.199. */
    static final String GOLDEN = "4500 0073 0000 4000 4011 b861 c0a80001 c0a800c7";
    /** A header with 4 bytes of options (NOP NOP NOP EOL), ICMP, id 0xabcd, DF, 10.0.2.2 to 10.0.2.15. */
    static final String WITH_OPTIONS = "4600 0028 abcd 4000 4001 73f6 0a000202 0a00020f 01010100";
    /** A non-first fragment: MF, offset 1480, TOS 0xb8, TTL 63, UDP, id 0x0102, 192.168.1.1 to 10.0.2.15. */
    static final String FRAGMENT = "45b8 001c 0102 20b9 3f11 8ba6 c0a80101 0a00020f";

    private final Ipv4.Packet packet = new Ipv4.Packet();

    private static ByteBuffer goldenPacket() {
        ByteBuffer b = ByteBuffer.allocate(0x73);
        b.put(Hex.bytes(GOLDEN)).clear();
        return b;
    }

    @Test
    public void readsEveryFieldOfAGoldenHeader() {
        ByteBuffer b = goldenPacket();
        assertNull(packet.wrap(b, 0, b.limit()));
        assertEquals(4, packet.version());
        assertEquals(20, packet.headerLength());
        assertEquals(0, packet.optionsLength());
        assertEquals(0, packet.typeOfService());
        assertEquals(115, packet.totalLength());
        assertEquals(0, packet.identification());
        assertTrue(packet.dontFragment());
        assertFalse(packet.moreFragments());
        assertEquals(0, packet.fragmentOffset());
        assertFalse(packet.isFragment());
        assertEquals(64, packet.ttl());
        assertSame(Protocol.UDP, packet.protocol());
        assertEquals(17, packet.protocolValue());
        assertEquals(0xb861, packet.checksum());
        assertTrue(packet.checksumValid());
        assertEquals(Ipv4Address.parse("192.168.0.1").value(), packet.source());
        assertEquals(Ipv4Address.parse("192.168.0.199").value(), packet.destination());
        assertEquals(20, packet.payloadOffset());
        assertEquals(95, packet.payloadLength());
    }

    @Test
    public void readsTheFragmentFields() {
        ByteBuffer b = Hex.buffer(FRAGMENT + " 0000000000000000");
        assertNull(packet.wrap(b, 0, b.limit()));
        assertTrue(packet.moreFragments());
        assertFalse(packet.dontFragment());
        assertEquals(1480, packet.fragmentOffset());
        assertTrue(packet.isFragment());
        assertEquals(0xb8, packet.typeOfService());
        assertEquals(63, packet.ttl());
        assertEquals(0x0102, packet.identification());
        assertTrue(packet.checksumValid());
    }

    @Test
    public void emitsExactlyTheHeaderIntoAFilledBuffer() {
        ByteBuffer out = Hex.filled(22);
        new Ipv4.Repr(Ipv4Address.parse("192.168.0.1"), Ipv4Address.parse("192.168.0.199"), Protocol.UDP, 64, 0,
                true, false, 0, 0, 95).emit(new Ipv4.Packet().wrapForEmit(out, 0, 22));
        assertEquals(GOLDEN.replace(" ", "") + "a5a5", Hex.of(out));
    }

    @Test
    public void theDataPathsHeaderEmitWritesWhatTheValueTypeWrites() {
        ByteBuffer viaRepr = Hex.filled(20);
        Ipv4.Repr.of(Ipv4Address.parse("10.0.2.15"), Ipv4Address.parse("10.0.2.2"), Protocol.UDP, 64, 100)
                .emit(new Ipv4.Packet().wrapForEmit(viaRepr, 0, 20));
        ByteBuffer direct = Hex.filled(20);
        new Ipv4.Packet().wrapForEmit(direct, 0, 20).emitHeader(Ipv4Address.parse("10.0.2.15").value(),
                Ipv4Address.parse("10.0.2.2").value(), Protocol.UDP, 64, 0, 100);
        assertEquals(Hex.of(viaRepr), Hex.of(direct));
    }

    @Test
    public void parseThenEmitRoundTripsIncludingFragmentFields() throws Exception {
        ByteBuffer b = Hex.buffer(FRAGMENT + " 0000000000000000");
        assertNull(packet.wrap(b, 0, b.limit()));
        Ipv4.Repr repr = Ipv4.Repr.parse(packet);
        assertEquals(8, repr.payloadLength());
        ByteBuffer out = Hex.filled(20);
        repr.emit(new Ipv4.Packet().wrapForEmit(out, 0, 20));
        assertEquals(FRAGMENT.replace(" ", ""), Hex.of(out));
    }

    @Test
    public void optionsAreSkippedByTheHeaderLength() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(0x28);
        b.put(Hex.bytes(WITH_OPTIONS)).clear();
        assertNull(packet.wrap(b, 0, b.limit()));
        assertEquals(24, packet.headerLength());
        assertEquals(4, packet.optionsLength());
        assertEquals(24, packet.payloadOffset());
        assertEquals(16, packet.payloadLength());
        assertTrue("the checksum covers the options", packet.checksumValid());
        Ipv4.Repr repr = Ipv4.Repr.parse(packet);
        assertEquals(Protocol.ICMP, repr.protocol());
        assertEquals(16, repr.payloadLength());
        assertEquals("emit writes no options", 20, repr.headerLength());
    }

    /** Linux drops them (ip_options_compile); they were answered. */
    @Test
    public void optionsWithALengthBelowTwoOrPastTheHeaderAreMalformed() {
        for (String options : List.of("01010700", "01010701", "0107ff00", "44000000", "01010107")) {
            ByteBuffer b = ByteBuffer.allocate(0x28);
            b.put(Hex.bytes(WITH_OPTIONS.substring(0, WITH_OPTIONS.length() - 8) + options)).clear();
            assertEquals("options " + options, Malformed.BAD_OPTIONS, packet.wrap(b, 0, b.limit()));
        }
        for (String options : List.of("01010100", "00ffffff", "07040000", "01070300")) { // EOL ends the list
            ByteBuffer b = ByteBuffer.allocate(0x28);
            b.put(Hex.bytes(WITH_OPTIONS.substring(0, WITH_OPTIONS.length() - 8) + options)).clear();
            assertNull("options " + options, packet.wrap(b, 0, b.limit()));
        }
    }

    @Test
    public void paddingAfterTheTotalLengthIsNotPartOfThePacket() {
        ByteBuffer b = ByteBuffer.allocate(0x73 + 6);
        b.put(Hex.bytes(GOLDEN)).clear();
        assertNull(packet.wrap(b, 0, b.limit()));
        assertEquals(0x73, packet.end());
    }

    @Test
    public void malformedHeadersAreNamed() {
        assertEquals(Malformed.TRUNCATED, wrap(GOLDEN.substring(0, GOLDEN.length() - 2)));
        assertEquals(Malformed.BAD_VERSION, wrap("6" + GOLDEN.substring(1)));
        assertEquals(Malformed.BAD_HEADER_LENGTH, wrap("44" + GOLDEN.substring(2)));
        assertEquals("IHL beyond the bytes", Malformed.BAD_HEADER_LENGTH, wrap("4f" + GOLDEN.substring(2)));
    }

    @Test
    public void lyingTotalLengthsAreBadLengths() {
        assertEquals("longer than the bytes", Malformed.BAD_LENGTH, wrap(GOLDEN));
        assertEquals("shorter than the header", Malformed.BAD_LENGTH, wrap(GOLDEN.replace("4500 0073", "4500 0013")));
    }

    @Test
    public void aBadChecksumIsRefusedByParse() {
        ByteBuffer b = goldenPacket();
        b.put(Ipv4.TTL, (byte) 63);
        assertNull("the view does not check the checksum", packet.wrap(b, 0, b.limit()));
        assertFalse(packet.checksumValid());
        try {
            Ipv4.Repr.parse(packet);
            fail();
        } catch (MalformedPacketException e) {
            assertEquals(Malformed.BAD_CHECKSUM, e.reason());
            assertEquals("IPv4: bad checksum", e.getMessage());
        }
    }

    @Test
    public void anUnknownProtocolIsAValueThatRoundTrips() throws Exception {
        Ipv4.Repr repr = Ipv4.Repr.of(Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"), Protocol.of(253), 1, 0);
        ByteBuffer out = Hex.filled(20);
        repr.emit(new Ipv4.Packet().wrapForEmit(out, 0, 20));
        assertNull(packet.wrap(out, 0, 20));
        assertEquals(new Protocol(253), packet.protocol());
        assertEquals("Unknown(253)", packet.protocol().toString());
        assertEquals(repr, Ipv4.Repr.parse(packet));
    }

    @Test
    public void aQuotedHeaderMayHeadACutDatagram() {
        ByteBuffer b = Hex.buffer(GOLDEN + " 0000000000000000");
        assertEquals(Malformed.BAD_LENGTH, packet.wrap(b, 0, b.limit()));
        assertNull(packet.wrapQuoted(b, 0, b.limit()));
        assertEquals(115, packet.totalLength());
        assertEquals(8, packet.payloadLength());
    }

    private Malformed wrap(String hex) {
        ByteBuffer b = Hex.buffer(hex);
        return packet.wrap(b, 0, b.limit());
    }
}
