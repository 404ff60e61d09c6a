package org.devrt.vfs.internal.fat;

/**
 * An open file: shared by every channel open on it, so that each sees the others' writes. Its directory entry is
 * at {@link #entryOffset} (moved by a rename); its first cluster and size are written through to that entry on every
 * change. Guarded by the filesystem's lock.
 */
final class FatFile {
    long entryOffset;
    String path;
    int firstCluster;
    long size;
    /**
     * The cluster chain, loaded and checked on first use; null until then. Its first {@link #chainLength} entries
     * are the file's: a growing file's array has room to spare, so that appending is not a copy of the whole chain.
     */
    int[] chain;
    int chainLength;
    int opens;
    boolean read;

    FatFile(long entryOffset, String path, int firstCluster, long size) {
        this.entryOffset = entryOffset;
        this.path = path;
        this.firstCluster = firstCluster;
        this.size = size;
    }
}
