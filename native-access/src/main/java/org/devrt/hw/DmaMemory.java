package org.devrt.hw;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Allocates memory that the device can reach by DMA. Regions start on a page boundary (4096 bytes) unless a
 * stricter alignment is asked for, so descriptor rings, command lists and I/O buffers meet every alignment the
 * common controllers require, and a kernel read into them is not slowed by a misaligned buffer.
 *
 * <p>Every region is freed, and its view revoked, when the driver that allocated it is detached.
 *
 * <p>Memory the driver did not allocate, such as a client's I/O buffer, reaches the device through {@link #map}, as
 * Linux's {@code dma_map_single} does behind an IOMMU: no copy through a bounce buffer.
 */
@ProviderType
public interface DmaMemory {
    /** Page size, the default alignment. */
    int PAGE_SIZE = 4096;

    /**
     * Allocates {@code size} bytes, zeroed, page-aligned.
     *
     * @throws IOException if the device's DMA memory is exhausted (the message says how much is left)
     */
    DmaRegion allocate(int size) throws IOException;

    /**
     * Allocates {@code size} bytes, zeroed, aligned to {@code alignment} (a power of two, at least
     * {@link #PAGE_SIZE} is used when smaller).
     */
    DmaRegion allocate(int size, int alignment) throws IOException;

    /**
     * Maps {@code buffer}'s remaining bytes into the device's bus address space for as long as the returned region
     * is open, so that the device moves data straight between the medium and the buffer. The region's
     * {@linkplain DmaRegion#physicalAddress() bus address} is page-aligned whatever the buffer's place in memory; its
     * {@linkplain DmaRegion#buffer() views} see the buffer's content. Closing it unmaps the buffer: a device access
     * after that is refused as one outside memory would be. A driver closes the mapping only once the device is done
     * with it (command completed, or engine stopped), as it would reuse its own buffer, and its detach unmaps every
     * mapping still open. The buffer's position and limit are not changed.
     *
     * @param deviceWrites whether the device writes into the buffer (a read from the medium); a device write into a
     *        mapping made for reading only is refused
     * @return the mapping, or null when this memory cannot map {@code buffer} (a heap buffer, whose memory the
     *         garbage collector may move, or a platform with no such mapping): the driver then copies through a
     *         buffer of its own
     * @throws IllegalArgumentException if {@code buffer} has no bytes remaining, or is read-only and
     *         {@code deviceWrites} is true
     * @throws HandleRevokedException after the driver was detached
     * @since 1.1
     */
    default DmaRegion map(ByteBuffer buffer, boolean deviceWrites) {
        return null;
    }

    /** Bytes still available for allocation. */
    long available();
}
