package org.devrt.emulator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class FreeListTest {
    private final FreeList list = new FreeList(0x10000, 0x10000);

    @Test
    public void firstFitTakesTheLowestRangeThatHolds() {
        assertEquals("first allocation starts the range", 0x10000, list.allocate(0x1000, 0x1000));
        assertEquals("second follows the first", 0x11000, list.allocate(0x1000, 0x1000));
    }

    @Test
    public void alignmentSkipsToTheNextAlignedAddress() {
        list.allocate(0x1000, 0x1000);
        long aligned = list.allocate(0x1000, 0x4000);
        assertEquals("0x4000-aligned allocation after one page", 0x14000, aligned);
        assertEquals("the gap before the aligned block is still free", 0x11000, list.allocate(0x3000, 0x1000));
    }

    @Test
    public void exhaustionAnswersMinusOne() {
        assertEquals(0x10000, list.allocate(0x10000, 0x1000));
        assertEquals("no room left", -1, list.allocate(0x1000, 0x1000));
        assertEquals(0, list.freeBytes());
    }

    @Test
    public void freedRangesAreReusedAndMergedWithNeighbours() {
        long a = list.allocate(0x1000, 0x1000);
        long b = list.allocate(0x1000, 0x1000);
        long c = list.allocate(0x1000, 0x1000);
        list.free(a, 0x1000);
        list.free(c, 0x1000);
        assertEquals("a and the tail after c are apart", 2, list.fragments());
        list.free(b, 0x1000);
        assertEquals("freeing b joins everything into one range", 1, list.fragments());
        assertEquals(0x10000, list.largestFree());
        assertEquals("the freed start is reused first", a, list.allocate(0x3000, 0x1000));
    }

    @Test
    public void doubleFreeIsRefused() {
        long a = list.allocate(0x1000, 0x1000);
        list.free(a, 0x1000);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> list.free(a, 0x1000));
        assertTrue(e.getMessage(), e.getMessage().contains("double free"));
    }

    @Test
    public void alignmentMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> list.allocate(0x1000, 0x3000));
    }
}
