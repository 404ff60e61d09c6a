package org.devrt.vfs.internal.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;

import org.devrt.device.BlockDevice;

/**
 * A byte-addressed, write-back cache over a region of a {@link BlockDevice} (one partition), in pages of 4 KiB
 * (or one block, if blocks are larger).
 *
 * <p>Pages are kept in least-recently-used order up to a fixed count; a dirty page that is evicted is written
 * together with the dirty pages that follow it. Transfers of at least {@link #BYPASS_PAGES} whole pages that are
 * not cached go straight between the device and the caller and do not evict the working set: the caller's own
 * buffer is handed to the device when it is direct and page-aligned (in requests of up to {@link #DIRECT_PAGES}
 * pages), else a staging buffer is (up to {@link #STAGING_PAGES}). Every buffer handed to the device is direct and page-aligned. Nothing written is on the medium
 * before {@link #flush()}, and nothing is durable before {@link #sync()}. Thread-safe.
 *
 * <p>Write order, for a disk that can vanish at any request: every write names its kind, and {@link #flush()} writes
 * the dirty pages kind by kind (block order within a kind): file data ({@link #DATA}); the FAT entries of new
 * clusters ({@link #FAT_NEW}); the links that hang them onto existing chains ({@link #FAT}); the directory entries
 * that point at chains and hold sizes ({@link #DIRECTORY}); the FAT entries that free clusters or cut chains
 * ({@link #FAT_FREE}); the boot sector's state and FSInfo ({@link #VOLUME}). A write of one kind into a page
 * that is dirty with another is a barrier: everything is flushed, in order, first. Eviction writes back dirty
 * {@link #DATA} pages on their own; evicting a dirty metadata page flushes everything, in order. So no entry
 * reaches the disk before what it points at, and nothing is freed on the disk while an entry still uses it. The order
 * in which writes complete is not the order in which they reach the medium on a disk with a volatile write cache (a
 * SATA disk's, by default): at a power cut it may keep a later write and lose an earlier one. So before a write of
 * one kind, if writes of an earlier kind went to the device since its last flush, the device is flushed first (a
 * barrier, as a journalling file system's commit issues FLUSH CACHE): a sync of new files costs a few flushes
 * instead of one.
 */
public final class BlockCache {
    /** Default capacity: 8 MiB. */
    public static final int DEFAULT_CAPACITY_BYTES = 8 << 20;
    static final int STAGING_PAGES = 64;
    static final int BYPASS_PAGES = 16;
    /** Longest bypassing request on the caller's own buffer (4 MiB of 4 KiB pages): no staging buffer bounds it. */
    static final int DIRECT_PAGES = 1024;
    private static final int SLOTS_PER_CHUNK = 16;
    /** File contents: written back first, and on their own when evicted. */
    public static final int DATA = 0;
    /** FAT entries of newly allocated clusters (every copy): before anything links to them. */
    public static final int FAT_NEW = 1;
    /** FAT entries that link new clusters onto an existing chain: before the directory entry that sizes it. */
    public static final int FAT = 2;
    /** Directory entries (first cluster, size, names). */
    public static final int DIRECTORY = 3;
    /** FAT entries that free clusters or cut a chain short: after the directory entries stop using them. */
    public static final int FAT_FREE = 4;
    /** The boot sector's state and the FSInfo sector: last. */
    public static final int VOLUME = 5;

    private final BlockDevice device;
    private final long startLba;
    private final long size;
    private final int pageSize;
    private final int blocksPerPage;
    private final int maxPages;
    private final LinkedHashMap<Long, Page> pages = new LinkedHashMap<>(64, 0.75f, true);
    /** The indexes of {@link #pages}, in order: how far an uncached run goes is one lookup. */
    private final TreeSet<Long> cached = new TreeSet<>();
    private final ArrayDeque<ByteBuffer> freeSlots = new ArrayDeque<>();
    private final ByteBuffer staging;
    private final ByteBuffer writeBackStaging;
    private int slotsAllocated;
    /** The earliest kind written to the device since its last flush; -1 when none ({@link #ordered}). */
    private int unflushedKind = -1;
    /** Device flushes issued as barriers between kinds. */
    private long barriers;
    /** The first device flush that failed: from then on {@link #sync} fails. */
    private IOException flushFailure;

    private static final class Page {
        final long index;
        final ByteBuffer data;
        boolean dirty;
        int kind;

        Page(long index, ByteBuffer data) {
            this.index = index;
            this.data = data;
        }
    }

    /**
     * @param device the disk
     * @param startLba the region's first block
     * @param blockCount the region's length in blocks
     * @param capacityBytes how much to cache at most (at least 4 pages)
     */
    public BlockCache(BlockDevice device, long startLba, long blockCount, int capacityBytes) {
        int blockSize = device.blockSize();
        if (blockSize <= 0 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("blockSize (" + blockSize + ") must be a power of two");
        }
        if (startLba < 0 || blockCount <= 0 || startLba + blockCount > device.blockCount()) {
            throw new IllegalArgumentException("region " + startLba + "+" + blockCount + " is not inside the device of "
                    + device.blockCount() + " blocks");
        }
        this.device = device;
        this.startLba = startLba;
        this.size = blockCount * blockSize;
        this.pageSize = Math.max(Buffers.PAGE, blockSize);
        this.blocksPerPage = pageSize / blockSize;
        this.maxPages = Math.max(4, capacityBytes / pageSize);
        this.staging = Buffers.allocate(STAGING_PAGES * pageSize);
        this.writeBackStaging = Buffers.allocate(STAGING_PAGES * pageSize);
    }

    /** The region's length in bytes. */
    public long size() {
        return size;
    }

    public int pageSize() {
        return pageSize;
    }

    /** Reads {@code dst.remaining()} bytes at {@code pos}. */
    public synchronized void read(long pos, ByteBuffer dst) throws IOException {
        checkRange(pos, dst.remaining());
        while (dst.hasRemaining()) {
            long index = pos / pageSize;
            int off = (int) (pos % pageSize);
            Page page = pages.get(index);
            if (page == null) {
                boolean direct = off == 0 && deviceReady(dst);
                int run = uncachedRun(index, pagesSpanned(off, dst.remaining()), direct ? DIRECT_PAGES
                        : STAGING_PAGES);
                if (off == 0 && run >= BYPASS_PAGES && runBytes(index, run) <= dst.remaining()) {
                    int n = runBytes(index, run);
                    ByteBuffer part = dst.duplicate().limit(dst.position() + n);
                    if (direct) {
                        device.read(lba(index), part); // straight into the caller's buffer
                        dst.position(dst.position() + n);
                    } else {
                        transfer(index, run, false);
                        dst.put(staging.duplicate().position(0).limit(n));
                    }
                    pos += n;
                    continue;
                }
                page = load(index, Math.min(run, maxPages / 2));
            }
            int n = Math.min(dst.remaining(), pageLength(index) - off);
            dst.put(page.data.duplicate().position(off).limit(off + n));
            pos += n;
        }
    }

    /** Writes {@code src.remaining()} bytes of file data at {@code pos}. */
    public void write(long pos, ByteBuffer src) throws IOException {
        write(pos, src, DATA);
    }

    /** Writes {@code src.remaining()} bytes of the given kind ({@link #DATA} ... {@link #VOLUME}) at {@code pos}. */
    public synchronized void write(long pos, ByteBuffer src, int kind) throws IOException {
        if (kind < DATA || kind > VOLUME) {
            throw new IllegalArgumentException("kind " + kind);
        }
        checkRange(pos, src.remaining());
        while (src.hasRemaining()) {
            long index = pos / pageSize;
            int off = (int) (pos % pageSize);
            Page page = pages.get(index);
            if (page == null) {
                boolean direct = off == 0 && deviceReady(src);
                int run = uncachedRun(index, src.remaining() / pageSize, direct ? DIRECT_PAGES : STAGING_PAGES);
                if (off == 0 && run >= BYPASS_PAGES && runBytes(index, run) <= src.remaining()) {
                    int n = runBytes(index, run);
                    ByteBuffer part = src.duplicate().limit(src.position() + n);
                    ordered(kind);
                    if (direct) {
                        device.write(lba(index), part); // the caller's own buffer: no copy
                    } else {
                        staging.clear().put(part);
                        transfer(index, run, true);
                    }
                    src.position(src.position() + n);
                    pos += n;
                    continue;
                }
                int length = pageLength(index);
                page = off == 0 && src.remaining() >= length ? newPage(index) : load(index, 1);
            }
            if (page.dirty && page.kind != kind) {
                flush(); // the page's bytes would go out in the wrong phase for one of the two kinds
            }
            int n = Math.min(src.remaining(), pageLength(index) - off);
            page.data.duplicate().position(off).put(src.duplicate().limit(src.position() + n));
            src.position(src.position() + n);
            page.kind = kind;
            page.dirty = true;
            pos += n;
        }
    }

    /** Writes {@code length} zero bytes at {@code pos}. */
    public synchronized void zero(long pos, long length) throws IOException {
        checkRange(pos, length);
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, BYPASS_PAGES * (long) pageSize * 2));
        while (length > 0) {
            int n = (int) Math.min(length, zeros.capacity());
            write(pos, zeros.clear().limit(n));
            pos += n;
            length -= n;
        }
    }

    /** Whether any page holds a change not yet written to the device. */
    public synchronized boolean hasDirtyPages() {
        for (Page p : pages.values()) {
            if (p.dirty) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes every dirty page to the device, kind by kind (data, FAT, directories, volume state), in block order
     * within a kind, contiguous pages of one kind in one request each.
     */
    public synchronized void flush() throws IOException {
        List<Page> dirty = new ArrayList<>();
        for (Page p : pages.values()) {
            if (p.dirty) {
                dirty.add(p);
            }
        }
        dirty.sort((a, b) -> a.kind != b.kind ? Integer.compare(a.kind, b.kind) : Long.compare(a.index, b.index));
        int i = 0;
        while (i < dirty.size()) {
            int j = i + 1;
            while (j < dirty.size() && j - i < STAGING_PAGES && dirty.get(j).index == dirty.get(j - 1).index + 1
                    && dirty.get(j).kind == dirty.get(i).kind) {
                j++;
            }
            writeBack(dirty.subList(i, j));
            i = j;
        }
    }

    /**
     * Writes the whole blocks at {@code pos} (block-aligned, {@code length} a multiple of the block size) to the
     * device now, as the cache holds them, and leaves the pages' dirty state alone. For a freshly allocated
     * directory cluster: its zeros (and dot entries) must be on the disk before the FAT or a directory entry that
     * links it, or a disk pulled in between leaves a directory full of whatever the cluster held before.
     */
    public synchronized void writeThrough(long pos, long length) throws IOException {
        checkRange(pos, length);
        int blockSize = device.blockSize();
        if (pos % blockSize != 0 || length % blockSize != 0) {
            throw new IllegalArgumentException("bytes " + pos + "+" + length + " are not whole blocks");
        }
        while (length > 0) {
            long index = pos / pageSize;
            int off = (int) (pos % pageSize);
            int n = (int) Math.min(length, pageLength(index) - off);
            Page page = pages.get(index);
            if (page != null && page.dirty) { // a clean or uncached page is what the device holds already
                ordered(DATA); // before the FAT and the directory entry that will link it
                ByteBuffer out = writeBackStaging.clear();
                out.put(page.data.duplicate().position(off).limit(off + n));
                device.write(startLba + index * blocksPerPage + off / blockSize, out.flip());
            }
            pos += n;
            length -= n;
        }
    }

    /**
     * {@link #flush()}, then the device's own flush: afterwards everything written is durable. Once a device flush
     * has failed, every sync fails too: the pages written before it were clean here already, so a later flush that
     * succeeds proves nothing about them (as PostgreSQL learnt of Linux's fsync in 2018).
     */
    public synchronized void sync() throws IOException {
        flush();
        deviceFlush();
        unflushedKind = -1;
        if (flushFailure != null) {
            throw new IOException("an earlier flush of the disk failed (" + flushFailure.getMessage() + "): what was"
                    + " written before it may not be on the disk", flushFailure);
        }
    }

    /** The first device flush that failed, or null. */
    public synchronized IOException flushFailure() {
        return flushFailure;
    }

    private void deviceFlush() throws IOException {
        try {
            device.flush();
        } catch (IOException | RuntimeException e) {
            if (flushFailure == null) {
                flushFailure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Device flushes issued so far as barriers between kinds of writes (not those of {@link #sync}). */
    public synchronized long barriers() {
        return barriers;
    }

    /** Forgets every page, dirty or not: for a device that has gone. */
    public synchronized void discard() {
        pages.clear();
        cached.clear();
        freeSlots.clear();
        slotsAllocated = 0;
    }

    /** Dirty bytes not yet written to the device. */
    public synchronized long dirtyBytes() {
        return pages.values().stream().filter(p -> p.dirty).count() * pageSize;
    }

    private Page load(long index, int run) throws IOException {
        transfer(index, run, false);
        Page first = null;
        for (int i = 0; i < run; i++) {
            Page p = newPage(index + i);
            int length = pageLength(index + i);
            p.data.clear().put(staging.duplicate().position(i * pageSize).limit(i * pageSize + length));
            first = first == null ? p : first;
        }
        pages.get(index); // the page asked for is the most recently used
        return first;
    }

    private Page newPage(long index) throws IOException {
        while (pages.size() >= maxPages) {
            evictEldest();
        }
        ByteBuffer slot = freeSlots.poll();
        if (slot == null) {
            ByteBuffer chunk = Buffers.allocate(SLOTS_PER_CHUNK * pageSize);
            for (int i = 0; i < SLOTS_PER_CHUNK; i++) {
                freeSlots.add(chunk.duplicate().position(i * pageSize).limit((i + 1) * pageSize).slice());
            }
            slotsAllocated += SLOTS_PER_CHUNK;
            slot = freeSlots.poll();
        }
        Page p = new Page(index, slot);
        pages.put(index, p);
        cached.add(index);
        return p;
    }

    /**
     * Makes room: the least recently used page goes, written back first if dirty. If that write fails and a clean
     * page is cached, the least recently used clean page goes instead and the dirty one stays for a later try: one
     * page the disk cannot take no longer fails every read of the volume that misses the cache.
     */
    private void evictEldest() throws IOException {
        try {
            evict(pages.values().iterator().next());
        } catch (IOException e) {
            Page clean = pages.values().stream().filter(p -> !p.dirty).findFirst().orElse(null);
            if (clean == null) {
                throw e;
            }
            evict(clean);
        }
    }

    private void evict(Page eldest) throws IOException {
        if (eldest.dirty && eldest.kind != DATA) {
            flush(); // metadata goes out only in order, with everything before it
        } else if (eldest.dirty) {
            List<Page> run = new ArrayList<>();
            run.add(eldest);
            for (long i = eldest.index + 1; run.size() < STAGING_PAGES; i++) {
                Page next = pages.get(i);
                if (next == null || !next.dirty || next.kind != DATA) {
                    break;
                }
                run.add(next);
            }
            writeBack(run);
        }
        pages.remove(eldest.index);
        cached.remove(eldest.index);
        freeSlots.add(eldest.data.clear());
    }

    private void writeBack(List<Page> run) throws IOException {
        ByteBuffer out = writeBackStaging.clear();
        for (Page p : run) {
            out.put(p.data.duplicate().position(0).limit(pageLength(p.index)));
        }
        long first = run.get(0).index;
        ordered(run.get(0).kind);
        device.write(startLba + first * blocksPerPage, out.flip());
        for (Page p : run) {
            p.dirty = false;
            p.kind = DATA;
        }
    }

    /**
     * Before a write of {@code kind}: flushes the device if a write of an earlier kind went to it since its last
     * flush, so that the earlier write is on the medium before this one can be.
     */
    private void ordered(int kind) throws IOException {
        if (unflushedKind >= 0 && unflushedKind < kind) {
            deviceFlush();
            barriers++;
            unflushedKind = -1;
        }
        if (unflushedKind < 0 || kind < unflushedKind) {
            unflushedKind = kind;
        }
    }

    /** Moves {@code run} pages from {@code index} between the device and the staging buffer; returns the bytes. */
    private int transfer(long index, int run, boolean write) throws IOException {
        int bytes = runBytes(index, run);
        ByteBuffer b = staging.duplicate().position(0).limit(bytes);
        if (write) {
            device.write(lba(index), b);
        } else {
            device.read(lba(index), b);
        }
        return bytes;
    }

    private long lba(long index) {
        return startLba + index * blocksPerPage;
    }

    /**
     * Whether a bypassing transfer can use the caller's buffer itself: it is direct and starts on a page boundary,
     * as every buffer handed to the device must.
     */
    private boolean deviceReady(ByteBuffer b) {
        return b.isDirect() && b.alignmentOffset(b.position(), pageSize) == 0;
    }

    private int runBytes(long index, int run) {
        return (int) Math.min((long) run * pageSize, size - index * pageSize);
    }

    /** How many pages from {@code index}, at most {@code wanted} and {@code most} (and at least 1), are not cached. */
    private int uncachedRun(long index, long wanted, int most) {
        long limit = Math.min(Math.min(Math.max(wanted, 1), most), (size - index * pageSize + pageSize - 1) / pageSize);
        Long next = cached.higher(index);
        return (int) Math.max(1, next == null ? limit : Math.min(limit, next - index));
    }

    private long pagesSpanned(int off, long length) {
        return (off + length + pageSize - 1) / pageSize;
    }

    private int pageLength(long index) {
        return (int) Math.min(pageSize, size - index * pageSize);
    }

    private void checkRange(long pos, long length) {
        if (pos < 0 || length < 0 || pos + length > size) {
            throw new IllegalArgumentException("bytes " + pos + "+" + length + " are not inside the region of " + size
                    + " bytes");
        }
    }
}
