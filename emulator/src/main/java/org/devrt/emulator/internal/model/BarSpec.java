package org.devrt.emulator.internal.model;

import java.util.Objects;

import org.devrt.pci.BarInfo;

/**
 * A BAR a model implements. Sizes follow PCI Local Bus 3.0, section 6.2.5.1: a power of two, at least 16 bytes
 * for memory and 4 for I/O, at most 256 bytes for I/O; a 64-bit BAR takes this register and the next.
 */
public record BarSpec(int index, BarInfo.Kind kind, long size, boolean prefetchable) {
    public BarSpec {
        Objects.requireNonNull(kind, "kind");
        int last = kind == BarInfo.Kind.MEMORY64 ? 4 : 5;
        if (index < 0 || index > last) {
            throw new IllegalArgumentException(
                    "BAR index " + index + " is outside 0.." + last + " for a " + kind + " BAR");
        }
        long min = kind == BarInfo.Kind.IO ? 4 : 16;
        long max = switch (kind) {
            case IO -> 256;
            case MEMORY32 -> 1L << 31;
            case MEMORY64 -> 1L << 40;
        };
        if (Long.bitCount(size) != 1 || size < min || size > max) {
            throw new IllegalArgumentException(String.format(
                    "BAR %d size 0x%x must be a power of two in 0x%x..0x%x for a %s BAR", index, size, min, max, kind));
        }
        if (prefetchable && kind == BarInfo.Kind.IO) {
            throw new IllegalArgumentException("BAR " + index + ": an I/O BAR cannot be prefetchable");
        }
    }

    public static BarSpec memory32(int index, long size) {
        return new BarSpec(index, BarInfo.Kind.MEMORY32, size, false);
    }

    public static BarSpec memory64(int index, long size) {
        return new BarSpec(index, BarInfo.Kind.MEMORY64, size, false);
    }

    public static BarSpec io(int index, long size) {
        return new BarSpec(index, BarInfo.Kind.IO, size, false);
    }

    /** How many BAR registers it takes: 2 for a 64-bit BAR. */
    public int registers() {
        return kind == BarInfo.Kind.MEMORY64 ? 2 : 1;
    }
}
