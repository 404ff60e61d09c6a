package org.devrt.vfs.internal.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * The bytes of open files: positions mapped to clusters through the file's checked chain, one cache request per run
 * of adjacent clusters, growth by allocation (a gap left by writing past the end reads as zeros), truncation, and
 * the directory entry kept up to date. Not thread-safe: the filesystem's lock guards it.
 */
final class FileData {
    static final long MAX_FILE_SIZE = 0xFFFFFFFFL;

    private final Volume vol;
    private final Clock clock;

    FileData(Volume vol, Clock clock) {
        this.vol = vol;
        this.clock = clock;
    }

    /** Reads at {@code pos}; -1 at or past the end. */
    int read(FatFile f, long pos, ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (pos >= f.size) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), f.size - pos);
        chain(f);
        transfer(f, pos, dst.duplicate().limit(dst.position() + n), false);
        dst.position(dst.position() + n);
        return n;
    }

    /** Writes at {@code at}, growing the file (zeros in any gap); returns the position after the bytes. */
    long write(FatFile f, long at, ByteBuffer src) throws IOException {
        long end = at + src.remaining();
        if (end > MAX_FILE_SIZE) {
            throw new FileSystemException(vol.name + f.path, null, "a FAT file cannot be larger than 4 GiB - 1");
        }
        chain(f);
        long fits = fits(f, end);
        if (fits < end && fits > at) { // as POSIX write(2) on a nearly full disk: what fits, then ENOSPC next time
            int limit = src.limit();
            src.limit(src.position() + (int) (fits - at));
            try {
                return write(f, at, src);
            } finally {
                src.limit(limit);
            }
        }
        growTo(f, end);
        if (at > f.size) {
            zero(f, f.size, at);
        }
        transfer(f, at, src, true);
        f.size = Math.max(f.size, end);
        store(f);
        return end;
    }

    /** Shortens the file to {@code size} bytes, freeing the clusters it no longer needs; never lengthens it. */
    void truncate(FatFile f, long size) throws IOException {
        if (size >= f.size) {
            return;
        }
        int[] chain = chain(f);
        int keep = (int) ((size + vol.clusterSize - 1) / vol.clusterSize);
        int had = f.chainLength;
        if (keep == 0) {
            f.firstCluster = 0;
        }
        f.size = size;
        f.chainLength = Math.min(keep, had);
        // The smaller size goes first: the cut and the frees may force a flush of the cache (a write-order barrier),
        // which must then carry the size, or the disk could hold a chain shorter than its file.
        store(f);
        if (keep < had) {
            if (keep > 0) {
                vol.fat.cut(chain[keep - 1]);
            }
            vol.fat.release(chain, keep, had);
        }
    }

    private int[] chain(FatFile f) throws IOException {
        if (f.chain == null) {
            f.chain = vol.fileChain(f.firstCluster, f.size, f.path);
            f.chainLength = f.chain.length;
        }
        return f.chain;
    }

    /**
     * How far a write that ends at {@code end} can go with the free clusters: {@code end} if they suffice, else the
     * end of the clusters the file has plus all the free ones (a copy in 1 MiB writes left up to 1 MiB of a nearly
     * full volume unused, its last write refused whole).
     */
    private long fits(FatFile f, long end) throws IOException {
        long needed = (end + vol.clusterSize - 1) / vol.clusterSize - f.chainLength;
        if (needed <= 0) {
            return end;
        }
        long free = vol.fat.freeCount(needed);
        return needed <= free ? end : (f.chainLength + free) * vol.clusterSize;
    }

    private void growTo(FatFile f, long end) throws IOException {
        int needed = (int) ((end + vol.clusterSize - 1) / vol.clusterSize);
        int have = f.chainLength;
        if (needed > have) {
            int[] added = vol.fat.allocate(needed - have, have == 0 ? 0 : f.chain[have - 1]);
            if (have == 0) {
                f.firstCluster = added[0];
            }
            if (needed > f.chain.length) { // with room to spare: appending must not copy the whole chain each time
                f.chain = Arrays.copyOf(f.chain, Math.max(needed, 2 * f.chain.length));
            }
            System.arraycopy(added, 0, f.chain, have, added.length);
            f.chainLength = needed;
        }
    }

    /** Reads or writes {@code buf.remaining()} bytes at {@code pos}, one request per run of adjacent clusters. */
    private void transfer(FatFile f, long pos, ByteBuffer buf, boolean write) throws IOException {
        int cs = vol.clusterSize;
        while (buf.hasRemaining()) {
            int index = (int) (pos / cs);
            int off = (int) (pos % cs);
            int run = 1;
            while (index + run < f.chainLength && f.chain[index + run] == f.chain[index] + run
                    && (long) run * cs - off < buf.remaining()) {
                run++;
            }
            int n = (int) Math.min(buf.remaining(), (long) run * cs - off);
            ByteBuffer part = buf.duplicate().limit(buf.position() + n);
            long at = vol.clusterOffset(f.chain[index]) + off;
            if (write) {
                vol.cache.write(at, part);
            } else {
                vol.cache.read(at, part);
            }
            buf.position(buf.position() + n);
            pos += n;
        }
    }

    private void zero(FatFile f, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(to - from, 1 << 20));
        for (long pos = from; pos < to; pos += zeros.capacity()) {
            transfer(f, pos, zeros.clear().limit((int) Math.min(zeros.capacity(), to - pos)), true);
        }
    }

    /** Writes the file's first cluster, size and modification time to its entry, and marks it for backup. */
    private void store(FatFile f) throws IOException {
        DirEntry d = Directory.readAt(vol, f.entryOffset);
        d.firstCluster(f.firstCluster);
        d.size(f.size);
        d.modified(LocalDateTime.now(clock));
        d.attr(d.attr() | DirEntry.ATTR_ARCHIVE);
        Directory.writeAt(vol, f.entryOffset, d);
    }
}
