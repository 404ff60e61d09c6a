package org.devrt.vfs.internal.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.devrt.vfs.CorruptFilesystemException;
import org.devrt.vfs.internal.cache.BlockCache;

/**
 * One FAT volume's layout and its low-level parts: where clusters are, the FAT, the dirty flag and FSInfo, and
 * cluster chains validated as they are followed. Not thread-safe: the filesystem's lock guards it.
 */
final class Volume {
    /** The most entries a directory may have (FAT spec, section 6.5: 65536 32-byte entries). */
    static final int MAX_DIR_ENTRIES = 65536;

    final BlockCache cache;
    final BootSector bs;
    final Fat fat;
    final String name;
    final int clusterSize;
    private final boolean fsInfoValid;

    private Volume(BlockCache cache, BootSector bs, String name, boolean fsInfoValid) {
        this.cache = cache;
        this.bs = bs;
        this.fat = new Fat(cache, bs);
        this.name = name;
        this.clusterSize = bs.clusterSize();
        this.fsInfoValid = fsInfoValid;
    }

    /**
     * Reads and checks the boot sector; returns null if the region holds no FAT volume at all.
     *
     * @throws CorruptFilesystemException if it claims to be FAT and is not a valid one
     */
    static Volume open(BlockCache cache, String name) throws IOException {
        if (cache.size() < 512) {
            return null;
        }
        ByteBuffer sector = ByteBuffer.allocate(512);
        cache.read(0, sector);
        if (!BootSector.claimsFat(sector)) {
            return null;
        }
        BootSector bs;
        try {
            bs = BootSector.parse(sector, cache.size());
        } catch (CorruptFilesystemException e) {
            throw new CorruptFilesystemException(name + ": boot sector: " + e.getMessage());
        }
        boolean fsInfoValid = false;
        ByteBuffer info = null;
        if (bs.type == FatType.FAT32 && bs.fsInfoSector > 0 && bs.fsInfoSector < bs.reservedSectors) {
            info = ByteBuffer.allocate(FsInfo.SIZE);
            cache.read((long) bs.fsInfoSector * bs.bytesPerSector, info);
            fsInfoValid = FsInfo.valid(info);
        }
        Volume v = new Volume(cache, bs, name, fsInfoValid);
        if (fsInfoValid) {
            // After an unclean shutdown the free count may be stale (fsck.fat: "Free cluster summary wrong"): the
            // FAT is counted instead, and the right count is written back at the next sync or unmount.
            v.fat.hint(v.dirty() ? -1 : FsInfo.freeCount(info), FsInfo.nextFree(info));
        }
        return v;
    }

    long clusterOffset(int cluster) {
        return bs.dataOffset() + (cluster - 2L) * clusterSize;
    }

    boolean validCluster(long c) {
        return c >= 2 && c <= bs.maxCluster();
    }

    CorruptFilesystemException corrupt(String path, String problem) {
        return new CorruptFilesystemException(name + path + ": " + problem);
    }

    /** The chain of a file of {@code size} bytes: exactly the clusters the size needs. */
    int[] fileChain(int first, long size, String path) throws IOException {
        long needed = (size + clusterSize - 1) / clusterSize;
        if (first == 0) {
            if (needed > 0) {
                throw corrupt(path, "the file has " + size + " bytes but no clusters");
            }
            return new int[0];
        }
        return follow(first, needed, path);
    }

    /** The chain of a directory: until its end mark, at most the clusters of 65536 entries. */
    int[] directoryChain(int first, String path) throws IOException {
        if (first == 0) {
            throw corrupt(path, "the directory has no first cluster");
        }
        return follow(first, -1, path);
    }

    /**
     * Follows a chain, checking each step: every cluster inside the volume, never a free or bad one, no cluster
     * twice, and for a file at least as many clusters as its size needs. A longer chain is cut at the size (as
     * Linux reads it); the caller reads no further.
     */
    private int[] follow(int first, long needed, String path) throws IOException {
        long limit = needed >= 0 ? Math.min(needed, bs.clusterCount)
                : Math.min(bs.clusterCount, ((long) MAX_DIR_ENTRIES * DirEntry.SIZE + clusterSize - 1) / clusterSize);
        if (!validCluster(first)) {
            throw corrupt(path, "the first cluster " + Integer.toUnsignedString(first) + " is outside the volume's "
                    + "clusters 2.." + bs.maxCluster());
        }
        int[] chain = new int[(int) Math.min(Math.max(limit, 1), 1024)];
        int length = 0;
        long c = first;
        while (true) {
            if (length == chain.length) {
                chain = Arrays.copyOf(chain, (int) Math.min((long) chain.length * 2, Integer.MAX_VALUE - 8));
            }
            chain[length++] = (int) c;
            int next = fat.get(c);
            if (fat.type().isEndOfChain(next)) {
                break;
            }
            if (next == 0) {
                throw corrupt(path, "the cluster chain runs into free cluster " + c);
            }
            if (next == fat.type().bad()) {
                throw corrupt(path, "the cluster chain runs into bad cluster " + c);
            }
            if (!validCluster(next)) {
                throw corrupt(path, "cluster " + c + " points to " + next + ", outside the volume's clusters 2.."
                        + bs.maxCluster());
            }
            if (length >= limit) {
                chain = Arrays.copyOf(chain, length);
                checkNoRepeats(chain, path);
                if (needed >= 0 && Arrays.stream(chain).noneMatch(x -> x == next)) {
                    return chain; // longer than the size: the rest is not the file's
                }
                throw corrupt(path, needed >= 0 ? "the cluster chain loops back to cluster " + next
                        : "the directory's cluster chain is longer than " + limit + " clusters");
            }
            c = next;
        }
        chain = Arrays.copyOf(chain, length);
        if (needed >= 0 && length < needed) {
            throw corrupt(path, "the cluster chain is shorter than the file: " + length
                    + " clusters, the file size needs " + needed);
        }
        checkNoRepeats(chain, path);
        return chain;
    }

    private void checkNoRepeats(int[] chain, String path) throws CorruptFilesystemException {
        int[] sorted = chain.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw corrupt(path, "the cluster chain loops: cluster " + sorted[i] + " appears twice");
            }
        }
    }

    /**
     * Allocates {@code count} zero-filled clusters after {@code previous} (0: a new chain), for a directory: the
     * zeros go to the disk at once, ahead of the FAT entries that link them (see {@link BlockCache#writeThrough}).
     */
    int[] allocateZeroed(int count, int previous) throws IOException {
        int[] clusters = fat.allocate(count, previous);
        for (int c : clusters) {
            cache.zero(clusterOffset(c), clusterSize);
            cache.writeThrough(clusterOffset(c), clusterSize);
        }
        return clusters;
    }

    /**
     * Whether the volume is to be checked: the boot sector's dirty flag, FAT[1]'s clean bit cleared, or FAT[1]'s
     * hard-error bit cleared (the last mount met a disk I/O error; Windows checks such a volume too).
     */
    boolean dirty() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        cache.read(bs.stateOffset(), b);
        return (b.get(0) & BootSector.STATE_DIRTY) != 0 || !fat.cleanShutdown() || fat.hardErrorFlagged();
    }

    /** Sets or clears the dirty flag in both places Linux, Windows and fsck.fat look. */
    void dirty(boolean dirty) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        cache.read(bs.stateOffset(), b);
        int v = dirty ? b.get(0) | BootSector.STATE_DIRTY : b.get(0) & ~BootSector.STATE_DIRTY;
        cache.write(bs.stateOffset(), ByteBuffer.wrap(new byte[] {(byte) v}), BlockCache.VOLUME);
        fat.cleanShutdown(!dirty);
    }

    /** Writes the free count and next-free hint to FSInfo (FAT32, when the sector is a valid FSInfo). */
    void writeFsInfo() throws IOException {
        if (fsInfoValid) {
            long at = (long) bs.fsInfoSector * bs.bytesPerSector;
            ByteBuffer fields = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            fields.putInt(0, (int) fat.freeCount()).putInt(4, (int) fat.nextFree());
            cache.write(at + FsInfo.FSI_FREE_COUNT, fields, BlockCache.VOLUME);
        }
    }

    /** @param counted counted from the FAT (once per mount), not FSInfo's hint */
    long freeBytes(boolean counted) throws IOException {
        return (counted ? fat.countedFreeCount() : fat.freeCount()) * clusterSize;
    }

    long totalBytes() {
        return bs.clusterCount * clusterSize;
    }
}
