package org.devrt.emulator.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.devrt.hw.DmaMemory;
import org.devrt.hw.DmaRegion;

/**
 * A holder's DMA memory: allocates from the machine's memory on behalf of the function, and keeps the regions so
 * that a revocation frees and revokes every one of them.
 */
final class FunctionDma implements DmaMemory {
    private final Handles handles;
    private final PhysicalMemory memory;
    private final FunctionHost owner;
    private final Set<DmaBlock> regions = new LinkedHashSet<>();

    FunctionDma(Handles handles, PhysicalMemory memory, FunctionHost owner) {
        this.handles = handles;
        this.memory = memory;
        this.owner = owner;
    }

    @Override
    public DmaRegion allocate(int size) throws IOException {
        return allocate(size, PAGE_SIZE);
    }

    @Override
    public synchronized DmaRegion allocate(int size, int alignment) throws IOException {
        handles.checkLive("DMA memory");
        if (size <= 0) {
            throw new IllegalArgumentException("DMA region size " + size + " must be positive");
        }
        if (Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("DMA alignment " + alignment + " is not a power of two");
        }
        String who = handles.function().address().toString();
        DmaBlock region = new DmaBlock(this, memory, memory.allocate(size, alignment, owner, who), size);
        regions.add(region);
        return region;
    }

    @Override
    public long available() {
        handles.checkLive("DMA memory");
        return memory.available();
    }

    /** How many regions are allocated now. */
    synchronized int regionCount() {
        return regions.size();
    }

    void checkLive(String what) {
        handles.checkLive(what);
    }

    /** A region was closed by its holder. */
    synchronized void closed(DmaBlock region) {
        regions.remove(region);
    }

    /** Frees and revokes every region. */
    void revoke() {
        List<DmaBlock> all;
        synchronized (this) {
            all = new ArrayList<>(regions);
            regions.clear();
        }
        all.forEach(DmaBlock::revoke);
    }
}
