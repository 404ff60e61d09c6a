package org.devrt.network.internal.wire;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;
import org.junit.Test;

public class ArpTest {
    /** Who has 10.0.2.2? Tell 10.0.2.15 (52:54:00:12:34:56); followed by 4 bytes of Ethernet padding. */
    static final String GOLDEN = "0001 0800 06 04 0001 525400123456 0a00020f 000000000000 0a000202";
    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    private final Arp.Packet packet = new Arp.Packet();

    @Test
    public void readsEveryFieldOfAGoldenRequest() {
        ByteBuffer b = Hex.buffer(GOLDEN + " 00000000");
        assertNull(packet.wrap(b, 0, b.limit()));
        assertEquals(Arp.Operation.REQUEST, packet.operation());
        assertEquals(1, packet.operationValue());
        assertEquals(MAC, packet.senderHardware());
        assertTrue(packet.senderHardwareIs(MAC));
        assertEquals(Ipv4Address.parse("10.0.2.15").value(), packet.senderProtocol());
        assertEquals(Arp.Repr.UNKNOWN, packet.targetHardware());
        assertEquals(Ipv4Address.parse("10.0.2.2").value(), packet.targetProtocol());
        assertEquals("the padding is not part of the packet", 28, packet.length());
    }

    @Test
    public void emitsExactlyTwentyEightBytesIntoAFilledBuffer() {
        ByteBuffer out = Hex.filled(30);
        new Arp.Repr(Arp.Operation.REQUEST, MAC, Ipv4Address.parse("10.0.2.15"), Arp.Repr.UNKNOWN,
                Ipv4Address.parse("10.0.2.2")).emit(new Arp.Packet().wrapForEmit(out, 0, 30));
        assertEquals(GOLDEN.replace(" ", "") + "a5a5", Hex.of(out));
    }

    @Test
    public void parseThenEmitRoundTrips() {
        ByteBuffer b = Hex.buffer(GOLDEN);
        assertNull(packet.wrap(b, 0, b.limit()));
        Arp.Repr repr = Arp.Repr.parse(packet);
        ByteBuffer out = Hex.filled(28);
        repr.emit(new Arp.Packet().wrapForEmit(out, 0, 28));
        assertEquals(GOLDEN.replace(" ", ""), Hex.of(out));
        assertEquals(28, repr.bufferLength());
    }

    @Test
    public void shortPacketsAreTruncated() {
        ByteBuffer fixedOnly = Hex.buffer("0001 0800 06 04 00");
        assertEquals(Malformed.TRUNCATED, packet.wrap(fixedOnly, 0, fixedOnly.limit()));
        ByteBuffer oneShort = Hex.buffer(GOLDEN.replace(" ", "").substring(0, 54));
        assertEquals(Malformed.TRUNCATED, packet.wrap(oneShort, 0, oneShort.limit()));
    }

    @Test
    public void otherHardwareOrProtocolsAreUnsupported() {
        for (String fixed : new String[] {"0006 0800 06 04", "0001 86dd 06 04", "0001 0800 08 04", "0001 0800 06 10"}) {
            ByteBuffer b = Hex.buffer(fixed + GOLDEN.replace(" ", "").substring(12));
            assertEquals(fixed, Malformed.UNSUPPORTED, packet.wrap(b, 0, b.limit()));
        }
    }

    @Test
    public void anUnknownOperationIsAValueThatRoundTrips() {
        ByteBuffer b = Hex.buffer(GOLDEN.replace("0001 5254", "0009 5254"));
        assertNull(packet.wrap(b, 0, b.limit()));
        assertEquals(new Arp.Operation(9), packet.operation());
        assertEquals("Unknown(9)", packet.operation().toString());
        ByteBuffer out = Hex.filled(28);
        Arp.Repr.parse(packet).emit(new Arp.Packet().wrapForEmit(out, 0, 28));
        assertEquals(GOLDEN.replace("0001 5254", "0009 5254").replace(" ", ""), Hex.of(out));
    }
}
