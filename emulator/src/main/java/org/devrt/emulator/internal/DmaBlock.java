package org.devrt.emulator.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.devrt.hw.DmaRegion;
import org.devrt.hw.HandleRevokedException;

/**
 * A DMA region: a block of the machine's memory with its bus address and the driver's view of it. Closing it, or
 * revoking its holder's handles, frees the block; views taken before cannot be taken back (a ByteBuffer has no
 * revocation), so only new views are refused.
 */
final class DmaBlock implements DmaRegion {
    private final FunctionDma owner;
    private final PhysicalMemory memory;
    private final PhysicalMemory.Block block;
    private final int size;
    private final AtomicBoolean freed = new AtomicBoolean();

    DmaBlock(FunctionDma owner, PhysicalMemory memory, PhysicalMemory.Block block, int size) {
        this.owner = owner;
        this.memory = memory;
        this.block = block;
        this.size = size;
    }

    @Override
    public long physicalAddress() {
        return block.address();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public ByteBuffer buffer() {
        owner.checkLive(this); // named only if revoked: this is on every buffer() call
        if (freed.get()) {
            throw new HandleRevokedException(this + " was freed");
        }
        return memory.view(block, size);
    }

    @Override
    public void close() {
        if (freed.compareAndSet(false, true)) {
            owner.closed(this);
            memory.free(block);
        }
    }

    /** Frees the block as part of revoking its holder's handles. */
    void revoke() {
        if (freed.compareAndSet(false, true)) {
            memory.free(block);
        }
    }

    @Override
    public String toString() {
        return String.format("DMA region 0x%x (%d bytes)", block.address(), size);
    }
}
