package org.devrt.ahci.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class SlotAllocatorTest {
    @Test
    public void handsOutLowestFreeSlotFirstUntilAllAreTaken() {
        SlotAllocator slots = new SlotAllocator(3);
        assertEquals(0, slots.acquire());
        assertEquals(1, slots.acquire());
        assertEquals(2, slots.acquire());
        assertEquals("no slot left", -1, slots.acquire());
        slots.release(1);
        assertEquals("the released slot is handed out again", 1, slots.acquire());
    }

    @Test
    public void thirtyTwoSlotsUseEveryBitOfTheMask() {
        SlotAllocator slots = new SlotAllocator(32);
        for (int i = 0; i < 32; i++) {
            assertEquals("slot " + i, i, slots.acquire());
        }
        assertEquals(-1, slots.acquire());
        assertEquals("taken mask of 32 slots", -1, slots.taken());
        slots.release(31);
        assertEquals(1, slots.freeCount());
        assertEquals(31, slots.acquire());
    }

    @Test
    public void releasingAFreeSlotIsRefusedSoItCannotBeHandedOutTwice() {
        SlotAllocator slots = new SlotAllocator(4);
        int s = slots.acquire();
        slots.release(s);
        assertThrows(IllegalStateException.class, () -> slots.release(s));
        assertThrows("slot outside 0..3", IllegalArgumentException.class, () -> slots.release(4));
    }

    @Test
    public void aLimitKeepsSlotsAtOrAboveItFromBeingHandedOut() {
        SlotAllocator slots = new SlotAllocator(8);
        slots.limit(3);
        assertEquals(0, slots.acquire());
        assertEquals(1, slots.acquire());
        assertEquals(2, slots.acquire());
        assertEquals("NCQ tags stop at the queue depth", -1, slots.acquire());
        assertEquals("the others stay free", 5, slots.freeCount());
        assertThrows(IllegalArgumentException.class, () -> slots.limit(9));
    }

    @Test
    public void slotCountMustBeWhatCapNcsCanSay() {
        assertThrows(IllegalArgumentException.class, () -> new SlotAllocator(0));
        assertThrows(IllegalArgumentException.class, () -> new SlotAllocator(33));
    }
}
