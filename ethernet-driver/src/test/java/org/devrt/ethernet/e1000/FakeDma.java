package org.devrt.ethernet.e1000;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.devrt.hw.DmaMemory;
import org.devrt.hw.DmaRegion;
import org.devrt.hw.HandleRevokedException;

/** DMA memory for tests: direct buffers at made-up page-aligned bus addresses, with a byte budget. */
final class FakeDma implements DmaMemory {
    static final long BASE = 0x1_2345_0000L;

    final List<Region> regions = new ArrayList<>();
    private long next = BASE;
    private long available;

    FakeDma(long capacity) {
        this.available = capacity;
    }

    @Override
    public DmaRegion allocate(int size) throws IOException {
        return allocate(size, PAGE_SIZE);
    }

    @Override
    public synchronized DmaRegion allocate(int size, int alignment) throws IOException {
        long rounded = (size + PAGE_SIZE - 1) & -PAGE_SIZE;
        if (rounded > available) {
            throw new IOException("out of DMA memory: " + available + " bytes left, " + size + " asked");
        }
        available -= rounded;
        Region r = new Region(next, size, rounded);
        next += rounded + PAGE_SIZE; // a guard page between regions
        regions.add(r);
        return r;
    }

    @Override
    public synchronized long available() {
        return available;
    }

    /** The region holding bus address {@code address}. */
    synchronized Region at(long address) {
        for (Region r : regions) {
            if (address >= r.physical && address < r.physical + r.size) {
                return r;
            }
        }
        throw new IllegalArgumentException("no region at 0x" + Long.toHexString(address));
    }

    final class Region implements DmaRegion {
        final long physical;
        final int size;
        final long reserved;
        final ByteBuffer memory;
        boolean closed;

        Region(long physical, int size, long reserved) {
            this.physical = physical;
            this.size = size;
            this.reserved = reserved;
            this.memory = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public long physicalAddress() {
            return physical;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public ByteBuffer buffer() {
            synchronized (FakeDma.this) {
                if (closed) {
                    throw new HandleRevokedException("region freed");
                }
            }
            return memory.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void close() {
            synchronized (FakeDma.this) {
                if (!closed) {
                    closed = true;
                    available += reserved;
                }
            }
        }
    }
}
