package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.DESCRIPTOR_SIZE;

/**
 * The five registers of one descriptor ring, at the same relative offsets for receive (RDBAL 2800h) and transmit
 * (TDBAL 3800h): base low (bits 3:0 ignored) and high, length in bytes (bits 19:7; bits 6:0 read 0, 8254x SDM
 * 13.4.27/13.4.38), head and tail (bits 15:0). Ownership: the device owns the descriptors from head up to tail - 1;
 * head == tail means it owns none. Every value the driver writes is bounded here: a length that is not a multiple of
 * 128 is complained about and its low bits dropped; a head or tail at or past the ring's end is refused (the
 * register keeps its value). Not thread-safe: the model's lock guards it.
 */
final class DescriptorRing {
    static final int BAL = 0x00;
    static final int BAH = 0x04;
    static final int LEN = 0x08;
    static final int HEAD = 0x10;
    static final int TAIL = 0x18;
    private static final int LEN_MASK = 0xF_FF80;

    private final String prefix;
    private final Complaints complaints;
    private int bal;
    private int bah;
    private int length;
    private int head;
    private int tail;

    /** @param prefix {@code RD} or {@code TD}, for register names in complaints */
    DescriptorRing(String prefix, Complaints complaints) {
        this.prefix = prefix;
        this.complaints = complaints;
    }

    void reset() {
        bal = 0;
        bah = 0;
        length = 0;
        head = 0;
        tail = 0;
    }

    /** Whether {@code relative} (offset from xDBAL) is one of the five registers. */
    static boolean covers(int relative) {
        return relative == BAL || relative == BAH || relative == LEN || relative == HEAD || relative == TAIL;
    }

    int read(int relative) {
        return switch (relative) {
            case BAL -> bal;
            case BAH -> bah;
            case LEN -> length;
            case HEAD -> head;
            case TAIL -> tail;
            default -> 0;
        };
    }

    /** Writes a register; returns false when the value was refused. */
    boolean write(int relative, int value) {
        switch (relative) {
            case BAL -> bal = value & ~0xF;
            case BAH -> bah = value;
            case LEN -> {
                if ((value & ~LEN_MASK) != 0) {
                    complaints.complain(String.format("%sLEN 0x%x is not a multiple of 128 below 1 MiB; %sLEN is "
                            + "0x%x", prefix, value, prefix, value & LEN_MASK));
                }
                length = value & LEN_MASK;
            }
            case HEAD -> {
                if (!index("H", value, head)) {
                    return false;
                }
                head = value;
            }
            case TAIL -> {
                if (!index("T", value, tail)) {
                    return false;
                }
                tail = value;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean index(String register, int value, int current) {
        if (value >= 0 && (value < count() || value == 0)) {
            return true;
        }
        complaints.complain(String.format("%s%s %d refused: the ring has %d descriptors (%sLEN 0x%x); %s%s stays %d",
                prefix, register, value, count(), prefix, length, prefix, register, current));
        return false;
    }

    /** Descriptors in the ring. */
    int count() {
        return length / DESCRIPTOR_SIZE;
    }

    /** Whether the ring can be used: it has descriptors and head and tail lie inside it. */
    boolean usable() {
        int n = count();
        return n > 0 && head < n && tail < n;
    }

    /** How many descriptors the device owns (head to tail - 1). Only for a usable ring. */
    int owned() {
        int n = tail - head;
        return n < 0 ? n + count() : n;
    }

    int head() {
        return head;
    }

    int tail() {
        return tail;
    }

    /** The bus address of descriptor {@code index}. */
    long address(int index) {
        long base = (bah & 0xFFFF_FFFFL) << 32 | (bal & 0xFFFF_FFFFL);
        return base + (long) index * DESCRIPTOR_SIZE;
    }

    /** Hands the descriptor at head back to the driver. */
    void advanceHead() {
        head = head + 1 == count() ? 0 : head + 1;
    }

    /** Gives every descriptor back (head = tail): after a descriptor could not be read. */
    void abandon() {
        head = tail;
    }

    @Override
    public String toString() {
        return String.format("%sBA 0x%x %sLEN 0x%x %sH %d %sT %d", prefix, address(0), prefix, length, prefix, head,
                prefix, tail);
    }
}
