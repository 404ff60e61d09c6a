package org.devrt.ahci.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.Test;

/** IDENTIFY DEVICE data (ACS-3 §7.12.7) built word by word, as a disk would send it. */
public class IdentifyDataTest {
    /** 512 bytes, little-endian words; ATA strings with the first character of each pair in the high byte. */
    static ByteBuffer identify(String serial, String firmware, String model, long sectors, int sectorSize) {
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        putString(b, 10, 10, serial);
        putString(b, 23, 4, firmware);
        putString(b, 27, 20, model);
        b.putShort(2 * 49, (short) (1 << 9)); // LBA supported
        b.putShort(2 * 83, (short) (1 << 10)); // 48-bit Address feature set
        for (int i = 0; i < 4; i++) {
            b.putShort(2 * (100 + i), (short) (sectors >>> (16 * i)));
        }
        if (sectorSize != 512) {
            b.putShort(2 * 106, (short) (0x4000 | 1 << 12));
            b.putShort(2 * 117, (short) (sectorSize / 2));
            b.putShort(2 * 118, (short) ((sectorSize / 2) >>> 16));
        }
        return b;
    }

    static void putString(ByteBuffer b, int word, int words, String text) {
        String padded = String.format("%-" + (2 * words) + "s", text);
        for (int i = 0; i < words; i++) {
            b.put(2 * (word + i) + 1, (byte) padded.charAt(2 * i));
            b.put(2 * (word + i), (byte) padded.charAt(2 * i + 1));
        }
    }

    @Test
    public void decodesModelSerialFirmwareAndLba48Capacity() throws IOException {
        IdentifyData id = IdentifyData.parse(identify("  DR0001", "1.0", "DEVRT HARDDISK", 0x1_0000_0001L, 512));
        assertEquals("model, words 27-46, trailing spaces trimmed", "DEVRT HARDDISK", id.model());
        assertEquals("serial, words 10-19, leading spaces trimmed", "DR0001", id.serial());
        assertEquals("firmware, words 23-26", "1.0", id.firmware());
        assertEquals("words 100-103", 0x1_0000_0001L, id.sectors());
        assertEquals("512 unless word 106 says otherwise", 512, id.sectorSize());
    }

    @Test
    public void stringsHaveTheFirstCharacterInTheHighByte() {
        int[] words = new int[256];
        words[27] = 'Q' << 8 | 'E';
        words[28] = 'M' << 8 | 'U';
        assertEquals("QEMU", IdentifyData.string(words, 27, 2));
    }

    @Test
    public void logicalSectorSizeComesFromWords117And118WhenWord106SaysSo() throws IOException {
        IdentifyData id = IdentifyData.parse(identify("S", "F", "M", 4096, 4096));
        assertEquals(4096, id.sectorSize());
        assertEquals(4096L * 4096, id.bytes());
    }

    @Test
    public void ncqQueueDepthIsWord75PlusOneWhenWord76Bit8SaysNcq() throws IOException {
        ByteBuffer data = identify("S", "F", "M", 1000, 512);
        assertEquals("word 76 bit 8 clear: no NCQ", 0, IdentifyData.parse(data).queueDepth());
        data.putShort(2 * 75, (short) 31);
        data.putShort(2 * 76, (short) (1 << 8 | 1 << 2 | 1 << 1));
        assertEquals("word 75 bits 4:0 = 31: depth 32", 32, IdentifyData.parse(data).queueDepth());
        data.putShort(2 * 75, (short) (0xffe0 | 7));
        assertEquals("only bits 4:0 of word 75 count", 8, IdentifyData.parse(data).queueDepth());
        data.putShort(2 * 76, (short) 0xffff);
        assertEquals("word 76 = FFFFh: not reported, so no NCQ", 0, IdentifyData.parse(data).queueDepth());
    }

    @Test
    public void readLogExtIsWord84Bit5OnlyWhenWord84IsValid() throws IOException {
        ByteBuffer data = identify("S", "F", "M", 1000, 512);
        data.putShort(2 * 84, (short) 0x4000);
        assertFalse("bit 5 clear: no General Purpose Logging", IdentifyData.parse(data).logs());
        data.putShort(2 * 84, (short) (0x4000 | 1 << 5));
        assertTrue("word 84 valid (bits 15:14 = 01), bit 5 set", IdentifyData.parse(data).logs());
        data.putShort(2 * 84, (short) 0xffff);
        assertFalse("word 84 = FFFFh is not valid", IdentifyData.parse(data).logs());
    }

    @Test
    public void diskWithout48BitAddressingIsRefusedNamingTheWord() {
        ByteBuffer data = identify("S", "F", "OLD DISK", 1000, 512);
        data.putShort(2 * 83, (short) 0);
        IOException e = assertThrows(IOException.class, () -> IdentifyData.parse(data));
        assertTrue(e.getMessage(), e.getMessage().contains("OLD DISK") && e.getMessage().contains("word 83"));
    }

    @Test
    public void impossibleSectorSizeIsRefused() {
        ByteBuffer data = identify("S", "F", "M", 1000, 4096);
        data.putShort(2 * 117, (short) 300);
        assertThrows(IOException.class, () -> IdentifyData.parse(data));
    }
}
