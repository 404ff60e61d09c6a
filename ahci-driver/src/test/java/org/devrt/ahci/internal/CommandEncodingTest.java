package org.devrt.ahci.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.junit.Test;

/** The command header, Register H2D FIS and PRD entry against bytes computed by hand from the specs. */
public class CommandEncodingTest {
    private static final byte FILL = (byte) 0xA5;

    private static ByteBuffer filled(int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.fill(b.array(), FILL);
        return b;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] slice(ByteBuffer b, int from, int length) {
        return Arrays.copyOfRange(b.array(), from, from + length);
    }

    @Test
    public void commandHeaderOfSlot1IsItsEightDwordsAtOffset32() {
        ByteBuffer list = filled(1024);
        CommandEncoding.header(list, 1, 5, true, 3, 0x1_2345_6780L);
        // AHCI §4.2.2 DW0: CFL=5 | W (bit 6) | PRDTL=3 << 16 = 0x00030045; DW1 PRDBC=0; DW2 CTBA; DW3 CTBAU; DW4-7 0
        assertArrayEquals("header of slot 1 (DW0 CFL|W|PRDTL, PRDBC, CTBA, CTBAU, reserved)", bytes(
                0x45, 0x00, 0x03, 0x00, 0, 0, 0, 0, 0x80, 0x67, 0x45, 0x23, 0x01, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), slice(list, 32, 32));
        byte[] untouched = new byte[32];
        Arrays.fill(untouched, FILL);
        assertArrayEquals("header 0 must not be touched", untouched, slice(list, 0, 32));
        assertArrayEquals("header 2 must not be touched", untouched, slice(list, 64, 32));
    }

    @Test
    public void readHeaderHasNoWriteBitAndPrdByteCountReadsBack() {
        ByteBuffer list = filled(1024);
        CommandEncoding.header(list, 0, 5, false, 1, 0x1000);
        assertEquals("DW0 of a read: CFL 5, PRDTL 1, W clear", 0x0001_0005, list.getInt(0));
        list.putInt(4, 4096);
        assertEquals("PRDBC is DW1", 4096, CommandEncoding.prdByteCount(list, 0));
    }

    @Test
    public void registerH2DFisCarriesCommandDeviceLba48AndCount() {
        ByteBuffer table = filled(128);
        CommandEncoding.registerH2D(table, 0, Ahci.ATA_CMD_READ_DMA_EXT, Ahci.ATA_DEVICE_LBA, 0x1234_5678_9ABCL, 0x0102, 0);
        // SATA §10.5.5: type 27h, C bit, command, features; LBA 7:0, 15:8, 23:16, device; LBA 31:24, 39:32, 47:40,
        // features 15:8; count 7:0, 15:8, ICC, control; 4 reserved bytes
        assertArrayEquals("Register H2D FIS of READ DMA EXT lba 0x123456789ABC count 0x102", bytes(
                0x27, 0x80, 0x25, 0x00, 0xBC, 0x9A, 0x78, 0x40, 0x56, 0x34, 0x12, 0x00, 0x02, 0x01, 0x00, 0x00,
                0, 0, 0, 0), slice(table, 0, 20));
        assertEquals("byte after the FIS must not be touched", FILL, table.get(20));
    }

    @Test
    public void prdEntryHoldsAddressAndByteCountMinusOne() {
        ByteBuffer table = filled(256);
        CommandEncoding.prd(table, 0x80, 0x1_0000_8000L, 32768, false);
        CommandEncoding.prd(table, 0x90, 0x2000, 512, true);
        // AHCI §4.2.3.3: DBA, DBAU, reserved, DW3 = DBC (bytes - 1) | I << 31
        assertArrayEquals("PRD 0: 32 KiB at 0x1_0000_8000", bytes(0x00, 0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0,
                0xFF, 0x7F, 0x00, 0x00), slice(table, 0x80, 16));
        assertArrayEquals("PRD 1: 512 bytes at 0x2000 with I", bytes(0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0xFF, 0x01, 0x00, 0x80), slice(table, 0x90, 16));
    }

    @Test
    public void refusesWhatTheHbaCannotHonour() {
        ByteBuffer b = filled(1024);
        assertThrows("CTBA must be 128-byte aligned", IllegalArgumentException.class,
                () -> CommandEncoding.header(b, 0, 5, false, 1, 0x1040));
        assertThrows("CFL above 16 dwords", IllegalArgumentException.class,
                () -> CommandEncoding.header(b, 0, 17, false, 1, 0x1000));
        assertThrows("odd PRD byte count", IllegalArgumentException.class,
                () -> CommandEncoding.prd(b, 0, 0x1000, 511, false));
        assertThrows("PRD above 4 MiB", IllegalArgumentException.class,
                () -> CommandEncoding.prd(b, 0, 0x1000, (4 << 20) + 2, false));
        assertThrows("odd DBA", IllegalArgumentException.class, () -> CommandEncoding.prd(b, 0, 0x1001, 512, false));
        assertThrows("LBA beyond 48 bits", IllegalArgumentException.class,
                () -> CommandEncoding.registerH2D(b, 0, 0x25, 0x40, 1L << 48, 1, 0));
        assertThrows("count beyond 16 bits", IllegalArgumentException.class,
                () -> CommandEncoding.registerH2D(b, 0, 0x25, 0x40, 0, 0x10000, 0));
    }
}
