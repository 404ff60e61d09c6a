package org.devrt.network.internal.wire;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class UdpTest {
    /** 10.0.2.15:1234 to 10.0.2.2:53, "hello". */
    static final String GOLDEN = "04d2 0035 000d 9eea 68656c6c6f";
    static final Ipv4Address SRC = Ipv4Address.parse("10.0.2.15");
    static final Ipv4Address DST = Ipv4Address.parse("10.0.2.2");

    private final Udp.Datagram datagram = new Udp.Datagram();

    @Test
    public void readsEveryFieldOfAGoldenDatagram() {
        ByteBuffer b = Hex.buffer(GOLDEN);
        assertNull(datagram.wrap(b, 0, b.limit()));
        assertEquals(1234, datagram.sourcePort());
        assertEquals(53, datagram.destinationPort());
        assertEquals(13, datagram.lengthField());
        assertEquals(0x9eea, datagram.checksum());
        assertTrue(datagram.checksumValid(SRC.value(), DST.value()));
        assertFalse("the pseudo-header counts", datagram.checksumValid(DST.value(), Ipv4Address.parse("10.0.2.3").value()));
        assertEquals(8, datagram.payloadOffset());
        assertEquals(5, datagram.payloadLength());
    }

    @Test
    public void emitsHeaderAndChecksumOverThePayloadIntoAFilledBuffer() {
        ByteBuffer out = Hex.filled(15);
        out.put(8, "hello".getBytes(StandardCharsets.US_ASCII));
        new Udp.Repr(1234, 53, 5).emit(new Udp.Datagram().wrapForEmit(out, 0, 13), SRC, DST);
        assertEquals(GOLDEN.replace(" ", "") + "a5a5", Hex.of(out));
    }

    @Test
    public void parseThenEmitRoundTrips() throws Exception {
        ByteBuffer b = Hex.buffer(GOLDEN);
        assertNull(datagram.wrap(b, 0, b.limit()));
        Udp.Repr repr = Udp.Repr.parse(datagram, SRC, DST);
        assertEquals(new Udp.Repr(1234, 53, 5), repr);
        b.putLong(0, 0xa5a5a5a5a5a5a5a5L);
        repr.emit(new Udp.Datagram().wrapForEmit(b, 0, repr.bufferLength()), SRC, DST);
        assertEquals(GOLDEN.replace(" ", ""), Hex.of(b));
    }

    @Test
    public void aZeroChecksumMeansNone() throws Exception {
        ByteBuffer b = Hex.buffer(GOLDEN.replace("9eea", "0000"));
        assertNull(datagram.wrap(b, 0, b.limit()));
        assertTrue(datagram.checksumValid(SRC.value(), DST.value()));
        assertEquals(5, Udp.Repr.parse(datagram, SRC, DST).payloadLength());
    }

    @Test
    public void aComputedZeroChecksumIsSentAsAllOnes() {
        ByteBuffer b = Hex.buffer("04d2 0035 000a 0000 e2c2");
        new Udp.Datagram().wrapForEmit(b, 0, 10).fillChecksum(SRC.value(), DST.value());
        assertEquals(0xffff, Bytes.u16(b, Udp.CHECKSUM));
        assertNull(datagram.wrap(b, 0, 10));
        assertTrue(datagram.checksumValid(SRC.value(), DST.value()));
    }

    @Test
    public void aBadChecksumIsRefusedByParse() {
        ByteBuffer b = Hex.buffer(GOLDEN.replace("6f", "70"));
        assertNull(datagram.wrap(b, 0, b.limit()));
        try {
            Udp.Repr.parse(datagram, SRC, DST);
            fail();
        } catch (MalformedPacketException e) {
            assertEquals(Malformed.BAD_CHECKSUM, e.reason());
        }
    }

    @Test
    public void lengthsThatLieAreBadLengths() {
        assertEquals("longer than the bytes", Malformed.BAD_LENGTH, wrap(GOLDEN.replace("000d", "000e")));
        assertEquals("shorter than the header", Malformed.BAD_LENGTH, wrap(GOLDEN.replace("000d", "0007")));
        assertEquals(Malformed.TRUNCATED, wrap("04d2 0035 000d 9e"));
    }

    @Test
    public void bytesAfterTheLengthAreNotPartOfTheDatagram() {
        ByteBuffer b = Hex.buffer(GOLDEN + " 0000");
        assertNull(datagram.wrap(b, 0, b.limit()));
        assertEquals(13, datagram.end());
        assertTrue(datagram.checksumValid(SRC.value(), DST.value()));
    }

    private Malformed wrap(String hex) {
        ByteBuffer b = Hex.buffer(hex);
        return datagram.wrap(b, 0, b.limit());
    }
}
