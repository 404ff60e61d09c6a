package org.devrt.ahci.internal;

/**
 * Which of a port's command slots (CAP.NCS + 1, at most 32) are free: a bit per slot, lowest free first. With NCQ
 * the slot is the tag, so only slots below the device's queue depth are handed out ({@link #limit}). Not
 * thread-safe: the port calls it under its lock.
 */
final class SlotAllocator {
    private final int slots;
    private final int all;
    private int free;
    /** The slots that may be handed out. */
    private int usable;

    SlotAllocator(int slots) {
        if (slots < 1 || slots > 32) {
            throw new IllegalArgumentException("command slots " + slots + " must be 1..32 (CAP.NCS + 1)");
        }
        this.slots = slots;
        this.all = slots == 32 ? -1 : (1 << slots) - 1;
        this.free = all;
        this.usable = all;
    }

    /** From now on only slots 0 to {@code count - 1} are handed out (an NCQ queue depth); taken ones stay taken. */
    void limit(int count) {
        if (count < 1 || count > slots) {
            throw new IllegalArgumentException("limit " + count + " must be 1.." + slots);
        }
        usable = count == 32 ? -1 : (1 << count) - 1;
    }

    /** Takes the lowest free slot. @return its number, or -1 when every slot is taken */
    int acquire() {
        if ((free & usable) == 0) {
            return -1;
        }
        int slot = Integer.numberOfTrailingZeros(free & usable);
        free &= ~(1 << slot);
        return slot;
    }

    /** @throws IllegalStateException if {@code slot} is not taken (a double release would hand it out twice) */
    void release(int slot) {
        if (slot < 0 || slot >= slots) {
            throw new IllegalArgumentException("slot " + slot + " is not one of 0.." + (slots - 1));
        }
        int bit = 1 << slot;
        if ((free & bit) != 0) {
            throw new IllegalStateException("slot " + slot + " released but it was free");
        }
        free |= bit;
    }

    int slots() {
        return slots;
    }

    int freeCount() {
        return Integer.bitCount(free);
    }

    /** The taken slots as a bit mask. */
    int taken() {
        return ~free & all;
    }
}
