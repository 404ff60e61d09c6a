package org.devrt.vfs.internal.shell;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** lsblk's SIZE column, compared with what util-linux prints for the same byte counts. */
public class SizesTest {
    @Test
    public void wholeUnitsDropTheDecimal() {
        assertEquals("512B", Sizes.human(512));
        assertEquals("1K", Sizes.human(1024));
        assertEquals("64M", Sizes.human(64L << 20));
        assertEquals("16G", Sizes.human(16L << 30));
    }

    @Test
    public void fractionsKeepOneRoundedDecimal() {
        assertEquals("1.5G", Sizes.human(3L << 29));
        assertEquals("465.8G", Sizes.human(500_107_862_016L));
        assertEquals("1023B", Sizes.human(1023));
        assertEquals("1M: 1 MiB + 10000 bytes rounds to a whole", "1M", Sizes.human((1L << 20) + 10_000));
        assertEquals("a tenth that rounds to ten carries into the unit", "2M", Sizes.human((2L << 20) - 1));
    }

    @Test
    public void largestSizesUseExbibytesWithoutOverflow() {
        assertEquals("8E", Sizes.human(Long.MAX_VALUE));
        assertEquals("1.5E", Sizes.human(3L << 59));
    }
}
