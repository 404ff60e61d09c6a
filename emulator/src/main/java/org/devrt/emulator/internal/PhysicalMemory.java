package org.devrt.emulator.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The machine's physical memory: one page-aligned, little-endian direct buffer whose first byte has bus address
 * {@link #base()}, with a page-granular first-fit allocator and the checks every device-side access goes through.
 *
 * <p>The base is normally well away from zero (4 GiB), so that a zero or small address, the commonest driver bug,
 * is never valid. With ownership checking on, a function may only reach blocks allocated for it, like a function
 * behind an IOMMU. Thread-safe.
 *
 * <p>The memory costs nothing until it is touched, like RAM behind an MMU: it is a private (copy-on-write) mapping of
 * a sparse temporary file, deleted as soon as it is mapped, so the kernel gives each page on first touch and nothing
 * is ever written to the file. {@code ByteBuffer.allocateDirect} would zero every page up front: 45-50 ms of a boot
 * for the default 64 MiB, of which drivers use a few hundred KiB. {@link #allocate} zeroes what it hands out.
 */
final class PhysicalMemory {
    static final int PAGE = 4096;
    private static final byte[] ZERO_PAGE = new byte[PAGE];

    /** An allocated block: {@code length} bytes (whole pages) at bus address {@code address}, for {@code owner}. */
    record Block(long address, int length, Object owner) {
    }

    private final long base;
    private final int size;
    private final boolean checkOwnership;
    private final ByteBuffer memory;
    private final FreeList pages;
    /**
     * The block that owns each page, indexed by page number: the ownership check on every DMA access is an array
     * read, with no boxing and no allocation on the data path. Guarded by this for writes; reads race benignly
     * (a block is published before its address is handed out, and cleared after its holder's handles are revoked).
     */
    private final AtomicReferenceArray<Block> pageOwners;
    /** Buffers outside this memory that drivers mapped for their devices. */
    private final BusMappings mappings = new BusMappings();

    PhysicalMemory(long base, int size, boolean checkOwnership) {
        if (base % PAGE != 0 || base <= 0 || size <= 0 || size % PAGE != 0) {
            throw new IllegalArgumentException(String.format(
                    "memory base 0x%x and size 0x%x must be positive multiples of %d", base, size, PAGE));
        }
        if (base + size > BusMappings.BASE) {
            throw new IllegalArgumentException(String.format("memory 0x%x-0x%x overlaps the mapped range from 0x%x",
                    base, base + size - 1, BusMappings.BASE));
        }
        this.base = base;
        this.size = size;
        this.checkOwnership = checkOwnership;
        this.memory = untouched(size).order(ByteOrder.LITTLE_ENDIAN);
        this.pages = new FreeList(base, size);
        this.pageOwners = new AtomicReferenceArray<>(size / PAGE);
    }

    /** {@code size} bytes of page-aligned, zero-filled memory, none of it touched yet. */
    private static ByteBuffer untouched(int size) {
        try {
            Path file = Files.createTempFile("devrt-memory-", ".tmp");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE)) {
                return channel.map(FileChannel.MapMode.PRIVATE, 0, size); // grows the file sparse; mmap is page-aligned
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + size + " bytes of emulated memory in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    long base() {
        return base;
    }

    int size() {
        return size;
    }

    boolean checksOwnership() {
        return checkOwnership;
    }

    BusMappings mappings() {
        return mappings;
    }

    /**
     * Allocates whole pages, zeroed, aligned to {@code alignment} (a power of two; at least a page is used).
     *
     * @param who names the asker in the exhaustion message
     * @throws IOException if no free range is large enough; the message says how much is left
     */
    Block allocate(int length, int alignment, Object owner, String who) throws IOException {
        if (length <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException(String.format(
                    "DMA size %d must be positive and alignment %d a power of two", length, alignment));
        }
        long pagesLength = (length + PAGE - 1L) & -PAGE;
        long address;
        synchronized (this) {
            address = pages.allocate(pagesLength, Math.max(alignment, PAGE));
            if (address < 0) {
                throw new IOException(String.format(
                        "DMA memory exhausted: %s asked for %d bytes aligned to %d; %d of %d bytes free, "
                                + "the largest free block has %d", who, length, Math.max(alignment, PAGE),
                        pages.freeBytes(), size, pages.largestFree()));
            }
        }
        Block block = new Block(address, (int) pagesLength, owner);
        int offset = (int) (address - base);
        for (int at = 0; at < block.length(); at += PAGE) {
            memory.put(offset + at, ZERO_PAGE, 0, PAGE);
        }
        setOwner(block, block);
        return block;
    }

    /** Gives a block back. */
    void free(Block block) {
        synchronized (this) {
            if (pageOwners.get(page(block.address())) != block) {
                throw new IllegalStateException(String.format("block 0x%x was not allocated here", block.address()));
            }
            setOwner(block, null);
            pages.free(block.address(), block.length());
        }
    }

    private int page(long address) {
        return (int) ((address - base) / PAGE);
    }

    private void setOwner(Block block, Block owner) {
        for (long at = block.address(); at < block.address() + block.length(); at += PAGE) {
            pageOwners.set(page(at), owner);
        }
    }

    /** Bytes free for allocation. */
    synchronized long available() {
        return pages.freeBytes();
    }

    /** A new little-endian view of the first {@code length} bytes of {@code block}, for the driver. */
    ByteBuffer view(Block block, int length) {
        return memory.slice((int) (block.address() - base), length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Why a device access of {@code length} bytes at {@code address} by {@code owner} must be refused, or null
     * when it may go ahead.
     */
    String refusal(long address, int length, Object owner) {
        if (length < 0 || address < base || address - base > size - (long) length) {
            return String.format("outside physical memory 0x%x-0x%x", base, base + size - 1);
        }
        if (!checkOwnership) {
            return null;
        }
        Block block = pageOwners.get(page(address));
        if (block == null || block.owner() != owner || address + length > block.address() + block.length()) {
            return "not inside one DMA region allocated for this function";
        }
        return null;
    }

    /** Copies memory at an already checked {@code address} into {@code dst}, advancing it. */
    void read(long address, ByteBuffer dst) {
        int length = dst.remaining();
        dst.put(dst.position(), memory, (int) (address - base), length);
        dst.position(dst.position() + length);
    }

    /** Copies {@code src} to memory at an already checked {@code address}, advancing it. */
    void write(long address, ByteBuffer src) {
        int length = src.remaining();
        memory.put((int) (address - base), src, src.position(), length);
        src.position(src.position() + length);
    }

    /** A view of {@code length} bytes at an already checked {@code address}. */
    ByteBuffer window(long address, int length) {
        return memory.slice((int) (address - base), length);
    }

    int read32(long address) {
        return memory.getInt((int) (address - base));
    }

    long read64(long address) {
        return memory.getLong((int) (address - base));
    }

    void write32(long address, int value) {
        memory.putInt((int) (address - base), value);
    }

    void write64(long address, long value) {
        memory.putLong((int) (address - base), value);
    }
}
