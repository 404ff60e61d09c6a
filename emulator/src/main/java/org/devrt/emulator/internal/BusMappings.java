package org.devrt.emulator.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import org.devrt.hw.DmaRegion;
import org.devrt.hw.HandleRevokedException;

/**
 * The machine's IOMMU: buffers that are not physical memory (a client's I/O buffer handed to a driver), mapped into
 * the bus address space above {@link #BASE} for as long as a driver keeps them mapped, like Linux's
 * {@code dma_map_single}. Each mapping gets fresh, page-aligned addresses followed by an unmapped guard page; an
 * address is never handed out twice, so a device that uses a stale one after the unmap is refused rather than
 * reaching whatever was mapped next. Thread-safe; a device access resolves its address with one lookup in a
 * concurrent sorted map.
 */
final class BusMappings {
    /** First mapped bus address: 256 TiB, far above any physical memory this emulator makes. */
    static final long BASE = 1L << 48;
    private static final long PAGE = PhysicalMemory.PAGE;

    private final AtomicLong next = new AtomicLong(BASE);
    private final ConcurrentSkipListMap<Long, Mapping> live = new ConcurrentSkipListMap<>();

    /** Whether {@code address} lies in the mapped range (mapped now or not). */
    static boolean covers(long address) {
        return address >= BASE;
    }

    /**
     * Maps {@code buffer}'s remaining bytes for {@code owner}'s device, on behalf of {@code dma}.
     *
     * @throws IllegalArgumentException if no bytes remain, or the device would write a read-only buffer
     */
    Mapping map(FunctionDma dma, ByteBuffer buffer, boolean deviceWrites, Object owner) {
        int size = buffer.remaining();
        if (size == 0) {
            throw new IllegalArgumentException("cannot map an empty buffer for DMA");
        }
        if (deviceWrites && buffer.isReadOnly()) {
            throw new IllegalArgumentException("cannot map a read-only buffer for the device to write");
        }
        long span = (size + PAGE - 1) / PAGE * PAGE + PAGE; // and a guard page
        Mapping mapping = new Mapping(dma, next.getAndAdd(span), buffer.slice().order(ByteOrder.LITTLE_ENDIAN),
                deviceWrites, owner);
        live.put(mapping.address, mapping);
        return mapping;
    }

    /**
     * The view of {@code length} bytes at {@code address} for a device access by {@code owner}, or null when the
     * access must be refused ({@link #refusal} says why).
     *
     * @param checkOwner whether only the mapping's owner may reach it (the machine checks DMA ownership)
     */
    ByteBuffer window(long address, int length, boolean deviceWrites, Object owner, boolean checkOwner) {
        Map.Entry<Long, Mapping> entry = live.floorEntry(address);
        if (entry == null) {
            return null;
        }
        Mapping m = entry.getValue();
        long offset = address - m.address;
        if (length < 0 || offset > m.size - (long) length || (deviceWrites && !m.deviceWrites)
                || (checkOwner && m.owner != owner)) {
            return null;
        }
        return m.view.slice((int) offset, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Why {@link #window} refused the access. */
    String refusal(long address, int length, boolean deviceWrites, Object owner, boolean checkOwner) {
        Map.Entry<Long, Mapping> entry = live.floorEntry(address);
        Mapping m = entry == null ? null : entry.getValue();
        if (m == null || address - m.address > m.size - (long) Math.max(length, 0)) {
            return "not inside a mapped buffer (never mapped, or unmapped)";
        }
        if (deviceWrites && !m.deviceWrites) {
            return "the buffer is mapped for the device to read only";
        }
        return checkOwner && m.owner != owner ? "the buffer is mapped for another function" : null;
    }

    /** How many buffers are mapped now. */
    int count() {
        return live.size();
    }

    /** One mapped buffer, handed to the driver as a {@link DmaRegion}. */
    final class Mapping implements DmaRegion {
        private final FunctionDma dma;
        private final long address;
        private final int size;
        private final ByteBuffer view;
        private final boolean deviceWrites;
        private final Object owner;
        private volatile boolean unmapped;

        private Mapping(FunctionDma dma, long address, ByteBuffer view, boolean deviceWrites, Object owner) {
            this.dma = dma;
            this.address = address;
            this.size = view.capacity();
            this.view = view;
            this.deviceWrites = deviceWrites;
            this.owner = owner;
        }

        @Override
        public long physicalAddress() {
            return address;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public ByteBuffer buffer() {
            dma.checkLive(this); // named only if revoked
            if (unmapped) {
                throw new HandleRevokedException(this + " was unmapped");
            }
            return view.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void close() {
            if (unmap()) {
                dma.closed(this);
            }
        }

        /** Takes the mapping out of the bus address space; true the first time. */
        boolean unmap() {
            unmapped = true;
            return live.remove(address, this);
        }

        @Override
        public String toString() {
            return String.format("DMA mapping 0x%x (%d bytes, device %s)", address, size,
                    deviceWrites ? "writes" : "reads");
        }
    }
}
