package org.devrt.hw;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Allocates memory that the device can reach by DMA. Regions start on a page boundary (4096 bytes) unless a
 * stricter alignment is asked for, so descriptor rings, command lists and I/O buffers meet every alignment the
 * common controllers require, and a kernel read into them is not slowed by a misaligned buffer.
 *
 * <p>Every region is freed, and its view revoked, when the driver that allocated it is detached.
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

    /** Bytes still available for allocation. */
    long available();
}
