package org.devrt.emulator.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.devrt.hw.DmaMemory;
import org.devrt.hw.DmaRegion;

/**
 * A holder's DMA memory: allocates from the machine's memory, and maps direct buffers through the machine's
 * {@link BusMappings}, on behalf of the function, and keeps the regions and mappings so that a revocation frees,
 * unmaps and revokes every one of them.
 */
final class FunctionDma implements DmaMemory {
    private final Handles handles;
    private final PhysicalMemory memory;
    private final FunctionHost owner;
    private final Set<DmaBlock> regions = new LinkedHashSet<>();
    private final Set<BusMappings.Mapping> mappings = new LinkedHashSet<>();

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

    /** Maps direct buffers; a heap buffer, which the garbage collector may move, the driver copies instead. */
    @Override
    public synchronized DmaRegion map(ByteBuffer buffer, boolean deviceWrites) {
        handles.checkLive("DMA memory"); // under the lock: a revocation either sees the mapping or refuses it
        if (!buffer.isDirect()) {
            return null;
        }
        BusMappings.Mapping mapping = memory.mappings().map(this, buffer, deviceWrites, owner);
        mappings.add(mapping);
        return mapping;
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

    /** How many buffers are mapped now. */
    synchronized int mappingCount() {
        return mappings.size();
    }

    void checkLive(Object what) {
        handles.checkLive(what);
    }

    /** A region was closed by its holder. */
    synchronized void closed(DmaBlock region) {
        regions.remove(region);
    }

    /** A mapping was closed by its holder. */
    synchronized void closed(BusMappings.Mapping mapping) {
        mappings.remove(mapping);
    }

    /** Unmaps every mapping, frees and revokes every region. */
    void revoke() {
        List<DmaBlock> all;
        List<BusMappings.Mapping> mapped;
        synchronized (this) {
            all = new ArrayList<>(regions);
            regions.clear();
            mapped = new ArrayList<>(mappings);
            mappings.clear();
        }
        mapped.forEach(BusMappings.Mapping::unmap);
        all.forEach(DmaBlock::revoke);
    }
}
