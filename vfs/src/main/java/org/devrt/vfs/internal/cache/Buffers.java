package org.devrt.vfs.internal.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Page-aligned direct buffers, the kind a driver can hand to DMA without a copy. */
public final class Buffers {
    /** Alignment of every buffer handed to a block device. */
    public static final int PAGE = 4096;

    private Buffers() {
    }

    /** A little-endian direct buffer of {@code size} bytes whose address is a multiple of {@link #PAGE}. */
    public static ByteBuffer allocate(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size (" + size + ") must not be negative");
        }
        int pages = (size + PAGE - 1) / PAGE;
        return ByteBuffer.allocateDirect((pages + 1) * PAGE).alignedSlice(PAGE).limit(size).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
    }
}
