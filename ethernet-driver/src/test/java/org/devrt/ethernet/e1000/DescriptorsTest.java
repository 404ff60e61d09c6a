package org.devrt.ethernet.e1000;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.junit.Test;

/** Legacy descriptors against bytes computed by hand from §3.2.3 and §3.3.3. */
public class DescriptorsTest {
    private static ByteBuffer ring() {
        ByteBuffer b = ByteBuffer.allocate(4 * 16).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.fill(b.array(), (byte) 0xA5);
        return b;
    }

    private static byte[] bytes(ByteBuffer b, int from, int length) {
        return Arrays.copyOfRange(b.array(), from, from + length);
    }

    private static byte[] hex(String text) {
        String[] parts = text.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    @Test
    public void transmitDescriptorHasAddressLengthAndCommandLittleEndianAndZeroStatus() {
        ByteBuffer b = ring();
        Descriptors.writeTx(b, 1, 0x0000_0001_2345_6800L, 1514, 0x0B); // EOP | IFCS | RS
        // address 0x123456800 LE; length 0x05EA LE; CSO 0; CMD 0x0B; STA 0; CSS 0; special 0
        assertArrayEquals(hex("00 68 45 23 01 00 00 00  EA 05 00 0B 00 00 00 00"), bytes(b, 16, 16));
        assertArrayEquals("descriptor 0 untouched", hex("A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5"),
                bytes(b, 0, 16));
        assertArrayEquals("descriptor 2 untouched", hex("A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5"),
                bytes(b, 32, 16));
    }

    @Test
    public void transmitCommandBitsAreTheManualsEopIfcsRs() {
        assertEquals(0x01, E1000Regs.TXD_CMD_EOP);
        assertEquals(0x02, E1000Regs.TXD_CMD_IFCS);
        assertEquals(0x08, E1000Regs.TXD_CMD_RS);
    }

    @Test
    public void receiveDescriptorGivenBackHasItsBufferAddressAndZeroWriteBackFields() {
        ByteBuffer b = ring();
        Descriptors.resetRx(b, 2, 0x0000_0001_2345_9800L);
        assertArrayEquals(hex("00 98 45 23 01 00 00 00  00 00 00 00 00 00 00 00"), bytes(b, 32, 16));
        assertArrayEquals(hex("A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5 A5"), bytes(b, 48, 16));
    }

    @Test
    public void receiveWriteBackIsReadFieldByFieldAsUnsignedValues() {
        ByteBuffer b = ring();
        // as the device writes it back: length 60, checksum 0x1234, status DD|EOP, errors CE, special 0x0007
        b.put(16, hex("00 10 00 00 01 00 00 00  3C 00 34 12 03 01 07 00"));
        assertEquals(60, Descriptors.rxLength(b, 1));
        assertEquals(0x03, Descriptors.rxStatus(b, 1));
        assertEquals(0x01, Descriptors.rxErrors(b, 1));
        // unsigned: a length of 0xF000, every status and error bit
        b.put(0, hex("00 00 00 00 00 00 00 00  00 F0 00 00 FF 80 00 00"));
        assertEquals(0xF000, Descriptors.rxLength(b, 0));
        assertEquals(0xFF, Descriptors.rxStatus(b, 0));
        assertEquals(0x80, Descriptors.rxErrors(b, 0));
    }

    @Test
    public void transmitStatusIgnoresTheReservedHighNibble() {
        ByteBuffer b = ring();
        b.put(12, (byte) 0xF1);
        assertEquals(E1000Regs.TXD_STAT_DD, Descriptors.txStatus(b, 0));
    }
}
