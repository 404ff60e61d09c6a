package org.devrt.pci;

/**
 * What a Base Address Register describes.
 *
 * @param index the BAR number, 0-5 (a 64-bit BAR takes two, and is reported at the lower)
 * @param kind memory (32 or 64-bit) or I/O space
 * @param address the base address assigned to it
 * @param size its size in bytes, a power of two
 * @param prefetchable whether the memory is prefetchable
 */
public record BarInfo(int index, Kind kind, long address, long size, boolean prefetchable) {
    /** The address space of a BAR. */
    public enum Kind {
        MEMORY32, MEMORY64, IO
    }

    public BarInfo {
        if (index < 0 || index > 5) {
            throw new IllegalArgumentException("BAR index " + index + " is outside 0..5");
        }
        if (size <= 0 || Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("BAR size " + size + " is not a power of two");
        }
    }
}
