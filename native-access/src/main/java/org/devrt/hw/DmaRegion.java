package org.devrt.hw;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A block of DMA memory: the bus address the device uses side by side with the buffer the driver uses.
 * Device structures are little-endian, and so is {@link #buffer()}.
 */
@ProviderType
public interface DmaRegion extends AutoCloseable {
    /** Bus (physical) address of the first byte, as programmed into device registers and descriptors. */
    long physicalAddress();

    /** Size in bytes. */
    int size();

    /**
     * A new little-endian view of the whole region (position 0, limit {@link #size()}); views share content.
     *
     * @throws HandleRevokedException after the region was freed or its driver detached
     */
    ByteBuffer buffer();

    /** Frees the region; its views must not be used afterwards. Idempotent. */
    @Override
    void close();
}
