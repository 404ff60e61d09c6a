package org.devrt.emulator.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * A first-fit allocator of address ranges over a free list kept in address order, with neighbouring free ranges
 * merged. It hands out DMA memory (in pages) and the firmware's BAR windows. Not thread-safe: its owner locks.
 */
final class FreeList {
    private final long start;
    private final long length;
    /** Free ranges: start to end (exclusive), in address order, never touching each other. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private long freeBytes;

    FreeList(long start, long length) {
        if (length <= 0 || start < 0 || start + length < start) {
            throw new IllegalArgumentException(String.format("bad range 0x%x + 0x%x", start, length));
        }
        this.start = start;
        this.length = length;
        free.put(start, start + length);
        freeBytes = length;
    }

    /**
     * Takes the first free range that holds {@code size} bytes at an address aligned to {@code alignment}.
     *
     * @return the address, or -1 if no free range is large enough
     */
    long allocate(long size, long alignment) {
        if (size <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException(String.format(
                    "size 0x%x must be positive and alignment 0x%x a power of two", size, alignment));
        }
        for (Map.Entry<Long, Long> range : free.entrySet()) {
            long from = (range.getKey() + alignment - 1) & -alignment;
            long end = range.getValue();
            if (from >= range.getKey() && from <= end - size) {
                take(range.getKey(), end, from, size);
                return from;
            }
        }
        return -1;
    }

    private void take(long rangeStart, long rangeEnd, long from, long size) {
        free.remove(rangeStart);
        if (rangeStart < from) {
            free.put(rangeStart, from);
        }
        if (from + size < rangeEnd) {
            free.put(from + size, rangeEnd);
        }
        freeBytes -= size;
    }

    /** Gives back a range {@link #allocate} handed out; merges it with free neighbours. */
    void free(long address, long size) {
        long end = address + size;
        Map.Entry<Long, Long> before = free.floorEntry(address);
        Map.Entry<Long, Long> after = free.ceilingEntry(address);
        if (address < start || end > start + length || size <= 0
                || (before != null && before.getValue() > address) || (after != null && after.getKey() < end)) {
            throw new IllegalStateException(String.format(
                    "freeing 0x%x + 0x%x, which is not an allocated range (double free?)", address, size));
        }
        long from = address;
        if (before != null && before.getValue() == address) {
            from = before.getKey();
            free.remove(from);
        }
        if (after != null && after.getKey() == end) {
            end = free.remove(end);
        }
        free.put(from, end);
        freeBytes += size;
    }

    /** Bytes free in all. */
    long freeBytes() {
        return freeBytes;
    }

    /** The largest free range, in bytes. */
    long largestFree() {
        return free.entrySet().stream().mapToLong(e -> e.getValue() - e.getKey()).max().orElse(0);
    }

    /** How many separate free ranges there are. */
    int fragments() {
        return free.size();
    }
}
