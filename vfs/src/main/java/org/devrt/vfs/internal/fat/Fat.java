package org.devrt.vfs.internal.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.devrt.vfs.internal.cache.BlockCache;

/**
 * The File Allocation Table: entry access for 12-, 16- and 32-bit FATs, every write made to each FAT copy (or to
 * the active one only, when FAT32 mirroring is off), the free-cluster count, the next-free hint and allocation.
 * Not thread-safe: the filesystem's lock guards it.
 */
final class Fat {
    /** FAT[1] bit that says the volume was unmounted cleanly (FAT spec, section 4.2). */
    static final int FAT16_CLEAN_SHUTDOWN = 0x8000;
    static final int FAT32_CLEAN_SHUTDOWN = 0x08000000;
    /** FAT[1]'s HrdErrBitMask: clear when the last mount met a disk I/O error (FAT spec, section 4). */
    static final int FAT16_NO_HARD_ERROR = 0x4000;
    static final int FAT32_NO_HARD_ERROR = 0x04000000;
    private static final int SCAN_CHUNK = 3 * 21840; // a multiple of 3 bytes: FAT12 entries pair up in it
    /** Bytes of the active FAT that {@link #get} reads at once: one sector. */
    private static final int WINDOW_BYTES = 512;
    /** Entries read or written in one cache request by the bulk paths (FAT16, FAT32): a 4 KiB page of FAT32. */
    private static final int BULK_ENTRIES = 1024;

    private final BlockCache cache;
    private final BootSector bs;
    private final FatType type;
    private final ByteBuffer scratch = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer bulk = ByteBuffer.allocate(BULK_ENTRIES * 4).order(ByteOrder.LITTLE_ENDIAN);
    /**
     * The active FAT's entries {@code windowFirst..windowFirst+windowCount-1} (FAT16, FAT32), as {@link #get} last
     * read them, so that following a chain reads a sector of entries per request instead of one entry; emptied by
     * every write to the FAT.
     */
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long windowFirst;
    private int windowCount;
    private long free = -1;
    /** Whether {@link #free} was counted (and kept since), not taken from FSInfo, which is only a hint. */
    private boolean counted;
    private long nextFree = 2;

    Fat(BlockCache cache, BootSector bs) {
        this.cache = cache;
        this.bs = bs;
        this.type = bs.type;
    }

    FatType type() {
        return type;
    }

    /** The value of entry {@code cluster} (FAT32: the low 28 bits). */
    int get(long cluster) throws IOException {
        checkIndex(cluster);
        if (type == FatType.FAT12) {
            int v = read16(bs.fatOffset(bs.activeFat) + entryOffset(cluster));
            return (cluster & 1) == 0 ? v & 0xFFF : v >>> 4;
        }
        int width = type.bits() / 8;
        if (cluster < windowFirst || cluster >= windowFirst + windowCount) {
            int n = (int) Math.min(WINDOW_BYTES / width, bs.maxCluster() - cluster + 1);
            cache.read(bs.fatOffset(bs.activeFat) + cluster * width, window.clear().limit(n * width));
            windowFirst = cluster;
            windowCount = n;
        }
        int i = (int) (cluster - windowFirst);
        return width == 2 ? window.getShort(i * 2) & 0xFFFF : window.getInt(i * 4) & type.mask();
    }

    /** Sets entry {@code cluster} in every FAT in use (FAT32 keeps the entry's reserved top four bits). */
    void set(long cluster, int value) throws IOException {
        set(cluster, value, BlockCache.FAT);
    }

    /** Cuts a chain after {@code cluster}: written after the directory entry that shrinks the file. */
    void cut(long cluster) throws IOException {
        set(cluster, type.endOfChain(), BlockCache.FAT_FREE);
    }

    /** Sets an entry as {@link #set(long, int)}, in the cache's write-order {@code kind}. */
    private void set(long cluster, int value, int kind) throws IOException {
        checkIndex(cluster);
        windowCount = 0;
        long off = entryOffset(cluster);
        for (int copy = 0; copy < bs.numFats; copy++) {
            if (!bs.mirrored && copy != bs.activeFat) {
                continue;
            }
            long at = bs.fatOffset(copy) + off;
            switch (type) {
                case FAT12 -> {
                    int old = read16(at);
                    int v = (cluster & 1) == 0 ? (old & 0xF000) | (value & 0xFFF) : (old & 0x000F) | ((value & 0xFFF) << 4);
                    write16(at, v, kind);
                }
                case FAT16 -> write16(at, value, kind);
                default -> write32(at, (read32(at) & ~type.mask()) | (value & type.mask()), kind);
            }
        }
    }

    /** The free-cluster count, counted on first use unless {@link #hint} gave a plausible one. */
    long freeCount() throws IOException {
        if (free < 0) {
            countFree();
        }
        return free;
    }

    /**
     * The free-cluster count, counted rather than taken from FSInfo's hint when the hint says fewer than
     * {@code wanted}: the hint (which Linux ignores unless mounted with usefree) may be stale, and one that says
     * full must not refuse a write.
     */
    long freeCount(long wanted) throws IOException {
        if (freeCount() < wanted && !counted) {
            countFree();
        }
        return free;
    }

    /**
     * The free-cluster count as counted from the FAT: at the first call since the mount unless counted already, as
     * Linux counts at the first statfs (FSInfo's count is a hint it uses only when mounted usefree). A wrong but
     * plausible hint (another system's, not kept up to date) was reported by df and written back at unmount.
     */
    long countedFreeCount() throws IOException {
        if (!counted) {
            countFree();
        }
        return free;
    }

    long nextFree() {
        return nextFree;
    }

    /** FSInfo's hints (FAT32); implausible values are ignored and the FAT is counted instead. */
    void hint(long freeCount, long next) {
        if (freeCount <= bs.clusterCount) {
            free = freeCount;
            counted = false;
        }
        if (next >= 2 && next <= bs.maxCluster()) {
            nextFree = next;
        }
    }

    /**
     * Allocates {@code count} free clusters as a chain, preferring the clusters right after {@code previous} (the
     * current last cluster of the chain to extend, or 0), and links {@code previous} to the first of them.
     *
     * @throws IOException "no space left on the volume" if there are not enough; nothing is changed then
     */
    int[] allocate(int count, int previous) throws IOException {
        if (count <= 0) {
            throw new IllegalArgumentException("count (" + count + ") must be positive");
        }
        if (freeCount(count) < count) {
            throw new NoSpaceException("no space left on the volume (" + free + " free clusters, " + count
                    + " needed)");
        }
        int[] out = new int[count];
        long max = bs.maxCluster();
        long start = previous >= 2 && previous < max ? previous + 1 : nextFree;
        int found = findFree(start, out);
        if (found < count) {
            free = found; // the count was wrong: it is right now
            throw new NoSpaceException("no space left on the volume (" + found + " free clusters, " + count
                    + " needed)");
        }
        int[] next = new int[count];
        for (int i = 0; i < count; i++) {
            next[i] = i + 1 < count ? out[i + 1] : type.endOfChain();
        }
        setRuns(out, next, BlockCache.FAT_NEW);
        if (previous != 0) {
            set(previous, out[0]);
        }
        free -= count;
        nextFree = out[count - 1] == max ? 2 : out[count - 1] + 1L;
        return out;
    }

    /** Marks {@code clusters} free from index {@code from} on. */
    void release(int[] clusters, int from) throws IOException {
        release(clusters, from, clusters.length);
    }

    /** Marks {@code clusters[from..to-1]} free. */
    void release(int[] clusters, int from, int to) throws IOException {
        if (from >= to) {
            return;
        }
        int[] part = Arrays.copyOfRange(clusters, from, to);
        setRuns(part, new int[part.length], BlockCache.FAT_FREE);
        for (int c : part) {
            if (c < nextFree) {
                nextFree = c;
            }
        }
        if (free >= 0) {
            free += part.length;
        }
    }

    /**
     * Fills {@code out} with free clusters, scanning the active FAT from {@code start} and wrapping round to 2, each
     * cluster at most once; returns how many it found. FAT16 and FAT32 are read a page of entries at a time.
     */
    private int findFree(long start, int[] out) throws IOException {
        long max = bs.maxCluster();
        int found = 0;
        long c = start;
        if (type == FatType.FAT12) {
            for (long seen = 0; seen < bs.clusterCount && found < out.length; seen++) {
                if (get(c) == 0) {
                    out[found++] = (int) c;
                }
                c = c == max ? 2 : c + 1;
            }
            return found;
        }
        int width = type.bits() / 8;
        long base = bs.fatOffset(bs.activeFat);
        for (long seen = 0; seen < bs.clusterCount && found < out.length;) {
            int n = (int) Math.min(BULK_ENTRIES, Math.min(max - c + 1, bs.clusterCount - seen));
            cache.read(base + c * width, bulk.clear().limit(n * width));
            for (int i = 0; i < n && found < out.length; i++) {
                int v = width == 2 ? bulk.getShort(i * 2) & 0xFFFF : bulk.getInt(i * 4) & type.mask();
                if (v == 0) {
                    out[found++] = (int) (c + i);
                }
            }
            seen += n;
            c = c + n > max ? 2 : c + n;
        }
        return found;
    }

    /**
     * Sets entry {@code clusters[i]} to {@code values[i]} for every i, in every FAT in use, in the cache's write-order
     * {@code kind}: one cache request per run of consecutive clusters (up to a page of entries) and FAT copy, rather
     * than one per entry. FAT12's entries share bytes and go one at a time.
     */
    private void setRuns(int[] clusters, int[] values, int kind) throws IOException {
        for (int i = 0; i < clusters.length;) {
            int j = i + 1;
            while (j < clusters.length && j - i < BULK_ENTRIES && clusters[j] == clusters[j - 1] + 1) {
                j++;
            }
            if (type == FatType.FAT12) {
                for (int k = i; k < j; k++) {
                    set(clusters[k], values[k], kind);
                }
            } else {
                setRun(clusters[i], values, i, j - i, kind);
            }
            i = j;
        }
    }

    /** FAT16/FAT32: entries {@code first..first+n-1} to {@code values[from..from+n-1]}, keeping FAT32's top bits. */
    private void setRun(long first, int[] values, int from, int n, int kind) throws IOException {
        checkIndex(first);
        checkIndex(first + n - 1);
        windowCount = 0;
        int width = type.bits() / 8;
        for (int copy = 0; copy < bs.numFats; copy++) {
            if (!bs.mirrored && copy != bs.activeFat) {
                continue;
            }
            long at = bs.fatOffset(copy) + first * width;
            bulk.clear().limit(n * width);
            if (width == 2) {
                for (int k = 0; k < n; k++) {
                    bulk.putShort(k * 2, (short) values[from + k]);
                }
            } else {
                cache.read(at, bulk);
                for (int k = 0; k < n; k++) {
                    bulk.putInt(k * 4, (bulk.getInt(k * 4) & ~type.mask()) | (values[from + k] & type.mask()));
                }
            }
            cache.write(at, bulk.clear().limit(n * width), kind);
        }
    }

    /**
     * Makes every other FAT copy in use equal to the active one, as fsck.fat does when the copies differ (a disk
     * pulled between the writes of two copies); returns how many sectors it rewrote.
     */
    int mirror() throws IOException {
        if (!bs.mirrored || bs.numFats < 2) {
            return 0;
        }
        long length = type.fatBytes(bs.maxCluster() + 1);
        int sector = bs.bytesPerSector;
        ByteBuffer active = ByteBuffer.allocate(sector);
        ByteBuffer other = ByteBuffer.allocate(sector);
        int rewritten = 0;
        for (int copy = 0; copy < bs.numFats; copy++) {
            if (copy == bs.activeFat) {
                continue;
            }
            for (long pos = 0; pos < length; pos += sector) {
                int n = (int) Math.min(sector, length - pos);
                cache.read(bs.fatOffset(bs.activeFat) + pos, active.clear().limit(n));
                cache.read(bs.fatOffset(copy) + pos, other.clear().limit(n));
                if (!active.flip().equals(other.flip())) {
                    cache.write(bs.fatOffset(copy) + pos, active, BlockCache.FAT);
                    rewritten++;
                }
            }
        }
        windowCount = 0;
        return rewritten;
    }

    /** Whether FAT[1] says the volume was shut down cleanly (always true for FAT12, which has no such bit). */
    boolean cleanShutdown() throws IOException {
        return switch (type) {
            case FAT12 -> true;
            case FAT16 -> (get(1) & FAT16_CLEAN_SHUTDOWN) != 0;
            case FAT32 -> (get(1) & FAT32_CLEAN_SHUTDOWN) != 0;
        };
    }

    /** Whether FAT[1] says the last mount met a disk I/O error (never on FAT12, which has no such bit). */
    boolean hardErrorFlagged() throws IOException {
        return switch (type) {
            case FAT12 -> false;
            case FAT16 -> (get(1) & FAT16_NO_HARD_ERROR) == 0;
            case FAT32 -> (get(1) & FAT32_NO_HARD_ERROR) == 0;
        };
    }

    /** Sets FAT[1]'s no-hard-error bit: the volume has been checked since the error. */
    void clearHardError() throws IOException {
        int bit = type == FatType.FAT16 ? FAT16_NO_HARD_ERROR : type == FatType.FAT32 ? FAT32_NO_HARD_ERROR : 0;
        if (bit != 0 && (get(1) & bit) == 0) {
            set(1, get(1) | bit);
        }
    }

    void cleanShutdown(boolean clean) throws IOException {
        int bit = type == FatType.FAT16 ? FAT16_CLEAN_SHUTDOWN : type == FatType.FAT32 ? FAT32_CLEAN_SHUTDOWN : 0;
        if (bit != 0) {
            int v = get(1);
            set(1, clean ? v | bit : v & ~bit);
        }
    }

    private void countFree() throws IOException {
        long max = bs.maxCluster();
        long count = 0;
        long firstFree = -1;
        long entry = 0;
        long base = bs.fatOffset(bs.activeFat);
        long fatBytes = type.fatBytes(max + 1);
        byte[] chunk = new byte[SCAN_CHUNK];
        ByteBuffer b = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (long pos = 0; pos < fatBytes; pos += SCAN_CHUNK) {
            int n = (int) Math.min(SCAN_CHUNK, fatBytes - pos);
            cache.read(base + pos, ByteBuffer.wrap(chunk, 0, n));
            long entries = type == FatType.FAT12 ? n * 2L / 3 : n / (type.bits() / 8);
            for (int i = 0; i < entries && entry <= max; i++, entry++) {
                int v = switch (type) {
                    case FAT12 -> {
                        int off = i * 3 / 2;
                        int raw = (chunk[off] & 0xFF) | (off + 1 < n ? (chunk[off + 1] & 0xFF) << 8 : 0);
                        yield (i & 1) == 0 ? raw & 0xFFF : raw >>> 4;
                    }
                    case FAT16 -> b.getShort(i * 2) & 0xFFFF;
                    case FAT32 -> b.getInt(i * 4) & type.mask();
                };
                if (entry >= 2 && v == 0) {
                    count++;
                    if (firstFree < 0) {
                        firstFree = entry;
                    }
                }
            }
        }
        free = count;
        counted = true;
        nextFree = firstFree < 0 ? 2 : firstFree;
    }

    private long entryOffset(long cluster) {
        return type == FatType.FAT12 ? cluster + cluster / 2 : cluster * (type.bits() / 8);
    }

    private void checkIndex(long cluster) {
        if (cluster < 0 || cluster > bs.maxCluster()) {
            throw new IllegalArgumentException("cluster (" + cluster + ") must be 0.." + bs.maxCluster());
        }
    }

    private int read16(long at) throws IOException {
        cache.read(at, scratch.clear().limit(2));
        return scratch.getShort(0) & 0xFFFF;
    }

    private int read32(long at) throws IOException {
        cache.read(at, scratch.clear().limit(4));
        return scratch.getInt(0);
    }

    private void write16(long at, int v, int kind) throws IOException {
        scratch.clear().putShort(0, (short) v).limit(2);
        cache.write(at, scratch, kind);
    }

    private void write32(long at, int v, int kind) throws IOException {
        scratch.clear().putInt(0, v).limit(4);
        cache.write(at, scratch, kind);
    }
}
