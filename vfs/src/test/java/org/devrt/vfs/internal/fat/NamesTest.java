package org.devrt.vfs.internal.fat;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Set;

import org.junit.Test;

/** ShortNames, LongNames and DosTime: the encodings, against values worked out from the specification. */
public class NamesTest {
    private static byte[] n11(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    public void theLongNameChecksumIsTheSpecsRotateAndAdd() {
        // worked by hand: sum = ((sum & 1) << 7) + (sum >> 1) + byte, over "FOO     BAR"
        int sum = 0;
        for (byte b : n11("FOO     BAR")) {
            sum = (((sum & 1) << 7) + ((sum & 0xFF) >> 1) + (b & 0xFF)) & 0xFF;
        }
        assertEquals(sum, LongNames.checksum(n11("FOO     BAR")));
        assertEquals(0x73, LongNames.checksum(n11("README  TXT")));
    }

    @Test
    public void longNamesSplitIntoThirteenUnitPiecesLastFirst() {
        byte[][] e = LongNames.encode("A long file name.txt", n11("ALONGF~1TXT"));
        assertEquals(2, e.length);
        assertEquals(0x42, e[0][0]); // last piece, sequence 2
        assertEquals(0x01, e[1][0]);
        assertEquals(0x0F, e[0][11]);
        LongNames.Assembler a = new LongNames.Assembler();
        a.add(e[0], 0);
        a.add(e[1], 0);
        assertEquals("A long file name.txt", a.finish(n11("ALONGF~1TXT")));
        a.add(e[0], 0);
        a.add(e[1], 0);
        assertNull("a checksum for another short name makes an orphan", a.finish(n11("OTHER   TXT")));
        a.add(e[1], 0);
        assertNull("a sequence without its last piece is an orphan", a.finish(n11("ALONGF~1TXT")));
    }

    @Test
    public void aNameOfExactlyThirteenUnitsHasNoTerminator() {
        byte[][] e = LongNames.encode("thirteen char", n11("THIRTE~1   "));
        assertEquals(1, e.length);
        assertEquals('r', e[0][30]);
    }

    @Test
    public void basisNamesAndTails() {
        assertArrayEquals(n11("README  TXT"), ShortNames.plan("readme.txt").basis());
        assertEquals(DirEntry.NT_LOWER_BASE | DirEntry.NT_LOWER_EXT, ShortNames.plan("readme.txt").ntRes());
        assertEquals(true, ShortNames.plan("ReadMe.txt").needsLongName());
        assertArrayEquals(n11("MYLONG~1TXT"), ShortNames.choose("My long name.txt", ShortNames.plan("My long name.txt"),
                Set.of()));
        assertArrayEquals(n11("MYLONG~2TXT"), ShortNames.choose("My long name.txt", ShortNames.plan("My long name.txt"),
                Set.of("MYLONG~1TXT")));
        assertArrayEquals(n11("ABCDE~10TXT"), ShortNames.withTail(n11("ABCDEFGHTXT"), 10));
        assertArrayEquals(n11("_~1        "), ShortNames.choose("…", ShortNames.plan("…"), Set.of()));
        assertEquals("readme.TXT", ShortNames.display(n11("README  TXT"), DirEntry.NT_LOWER_BASE));
        assertEquals("\u03C3ABC", ShortNames.display(n11("\u00E5ABC       "), 0)); // CP437 0xE5 is sigma
        assertEquals("\u03C3ABC", ShortNames.display(n11("\u0005ABC       "), 0)); // 0x05 stands for 0xE5
    }

    /** Characters whose upper case is ASCII are not: the name needs its long entry, else it was lost. */
    @Test
    public void aNonAsciiLetterWhoseUpperCaseIsAsciiNeedsALongName() {
        assertEquals(true, ShortNames.plan("\u0131mage.txt").needsLongName()); // dotless i
        assertEquals(true, ShortNames.plan("\u017Fun.txt").needsLongName()); // long s
        assertEquals(false, ShortNames.plan("image.txt").needsLongName());
    }

    @Test
    public void invalidNamesSayWhy() {
        assertEquals("the name has a character FAT does not allow: ':'", ShortNames.invalidReason("a:b"));
        assertEquals("the name ends with a period, which FAT drops", ShortNames.invalidReason("a."));
        assertEquals("the name has 256 characters; FAT allows 255", ShortNames.invalidReason("x".repeat(256)));
        assertEquals("'..' is reserved", ShortNames.invalidReason(".."));
        assertNull(ShortNames.invalidReason(".hidden file"));
    }

    @Test
    public void dosTimesRoundTripAndClamp() {
        LocalDateTime t = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 990_000_000);
        assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 990_000_000),
                DosTime.decode(DosTime.date(t), DosTime.time(t), DosTime.tenths(t)));
        assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 58), DosTime.decode(DosTime.date(t), DosTime.time(t), 0));
        assertEquals(DosTime.EPOCH, DosTime.decode(DosTime.date(LocalDateTime.of(1970, 1, 1, 0, 0)), 0, 0));
        assertEquals(LocalDateTime.of(1980, 12, 31, 0, 0), DosTime.decode(15 << 5 | 31, 0, 0)); // month 15, day 31
        assertEquals((2024 - 1980) << 9 | 2 << 5 | 29, DosTime.date(t));
        assertEquals(23 << 11 | 59 << 5 | 29, DosTime.time(t));
    }
}
