package org.devrt.ethernet.e1000;

import static org.devrt.ethernet.e1000.E1000Regs.DESC_SIZE;
import static org.devrt.ethernet.e1000.E1000Regs.RING_ALIGN_DESCRIPTORS;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.devrt.hw.DmaMemory;
import org.devrt.hw.DmaRegion;

/**
 * One descriptor ring (§3.2.6 receive, §3.4 transmit) and its packet buffers, each kept as the physical
 * address the device uses side by side with the buffer the driver uses.
 *
 * <p>The ring is {@code size} descriptors of 16 bytes in one page-aligned DMA region; the buffers are
 * {@code size} slots of {@link #BUFFER_SIZE} bytes in a second region, slot {@code i} at
 * {@code buffers + i * 2048}, so every slot is 2048-aligned and fits the largest frame. Both are allocated once,
 * when the ring is made, and reused for every frame.
 *
 * <p>The ownership rule: <b>we own the tail, the device owns the head.</b> The device works on the
 * descriptors from head (RDH/TDH) up to, not including, tail (RDT/TDT) and advances head as it finishes each;
 * the driver writes tail to hand descriptors over. Head == tail means the device has nothing: so one
 * descriptor always stays with the driver and a ring of {@code size} carries at most {@code size - 1}.
 * Indices wrap with {@code & mask}: {@code size} is a power of two.
 */
final class Ring implements AutoCloseable {
    /** Bytes per packet buffer: RCTL.BSIZE = 2048 (§13.4.22), and room for a 1518-byte frame to send. */
    static final int BUFFER_SIZE = 2048;
    /** The most descriptors a ring may have here (the registers would allow 65536). */
    static final int MAX_SIZE = 4096;

    final int size;
    final int mask;
    /** The descriptors: region (physical address) and the driver's view (little-endian). */
    final DmaRegion descriptors;
    final ByteBuffer desc;
    /** The packet buffers: region (physical address) and the driver's view. */
    final DmaRegion buffers;
    final ByteBuffer buf;

    private Ring(int size, DmaRegion descriptors, DmaRegion buffers) {
        this.size = size;
        this.mask = size - 1;
        this.descriptors = descriptors;
        this.desc = descriptors.buffer();
        this.buffers = buffers;
        this.buf = buffers.buffer();
    }

    /** Allocates a ring of {@code size} descriptors and its buffers, all zero. */
    static Ring allocate(DmaMemory dma, int size) throws IOException {
        checkSize(size);
        DmaRegion descriptors = dma.allocate(size * DESC_SIZE);
        try {
            return new Ring(size, descriptors, dma.allocate(size * BUFFER_SIZE));
        } catch (IOException | RuntimeException e) {
            descriptors.close();
            throw e;
        }
    }

    /** A ring size must be a power of two (wrap mask) and a multiple of 8 (RDLEN/TDLEN in 128-byte units). */
    static void checkSize(int size) {
        if (size < RING_ALIGN_DESCRIPTORS || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring size " + size + " must be a power of two in "
                    + RING_ALIGN_DESCRIPTORS + ".." + MAX_SIZE);
        }
    }

    /** The value for RDLEN/TDLEN: the ring's length in bytes. */
    int lengthInBytes() {
        return size * DESC_SIZE;
    }

    /** Physical address of buffer slot {@code index}, as the descriptor carries it. */
    long bufferAddress(int index) {
        return buffers.physicalAddress() + (long) index * BUFFER_SIZE;
    }

    /** Offset of buffer slot {@code index} in {@link #buf}. */
    static int bufferOffset(int index) {
        return index * BUFFER_SIZE;
    }

    /** The index after {@code index}, wrapping. */
    int next(int index) {
        return (index + 1) & mask;
    }

    /** The index before {@code index}, wrapping. */
    int previous(int index) {
        return (index - 1) & mask;
    }

    /** How many steps forward from {@code from} to {@code to}: the descriptors in {@code [from, to)}. */
    int distance(int from, int to) {
        return (to - from) & mask;
    }

    /** Frees both regions. Idempotent. */
    @Override
    public void close() {
        descriptors.close();
        buffers.close();
    }
}
