package org.devrt.vfs.internal.shell;

import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

/** Output compared with {@code hexdump -C} on the same bytes. */
public class HexDumpTest {
    @Test
    public void linesHaveOffsetTwoGroupsOfEightAndAscii() {
        ByteBuffer data = ByteBuffer.wrap("Hello, devrt!\n\0\1ABCDEFGHIJKLMNOP".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(""
                + "00000200  48 65 6c 6c 6f 2c 20 64  65 76 72 74 21 0a 00 01  |Hello, devrt!...|\n"
                + "00000210  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n"
                + "00000220", HexDump.format(0x200, data));
    }

    @Test
    public void repeatedLinesCollapseIntoOneStar() {
        ByteBuffer zeros = ByteBuffer.allocate(512);
        assertEquals(""
                + "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
                + "*\n"
                + "00000200", HexDump.format(0, zeros));
    }

    @Test
    public void shortLastLineIsPaddedSoTheAsciiColumnLinesUp() {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {'a', 'b', 'c'});
        assertEquals("00000000  61 62 63                                          |abc|\n00000003",
                HexDump.format(0, data));
    }
}
