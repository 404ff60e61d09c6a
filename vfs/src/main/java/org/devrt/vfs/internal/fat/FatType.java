package org.devrt.vfs.internal.fat;

/** FAT12, FAT16 or FAT32, told apart by the count of data clusters and nothing else (FAT spec, section 3.5). */
public enum FatType {
    FAT12(12, 0xFFF), FAT16(16, 0xFFFF), FAT32(32, 0x0FFFFFFF);

    /** Fewer clusters than this is FAT12. */
    public static final int FAT12_MAX_CLUSTERS = 4084;
    /** Fewer clusters than this (and not FAT12) is FAT16. */
    public static final int FAT16_MAX_CLUSTERS = 65524;
    /** The most clusters a FAT32 volume can address. */
    public static final int FAT32_MAX_CLUSTERS = 0x0FFFFFF5;

    private final int bits;
    private final int mask;

    FatType(int bits, int mask) {
        this.bits = bits;
        this.mask = mask;
    }

    public static FatType ofClusterCount(long clusters) {
        return clusters <= FAT12_MAX_CLUSTERS ? FAT12 : clusters <= FAT16_MAX_CLUSTERS ? FAT16 : FAT32;
    }

    public int bits() {
        return bits;
    }

    /** The bits of an entry that hold the value (FAT32's top four bits are reserved). */
    int mask() {
        return mask;
    }

    /** The end-of-chain mark that this code writes. */
    int endOfChain() {
        return mask;
    }

    /** Whether {@code value} marks the end of a chain (0xFF8 and up, scaled to the width). */
    boolean isEndOfChain(int value) {
        return value >= (mask & ~7);
    }

    /** The bad-cluster mark. */
    int bad() {
        return mask & ~8;
    }

    /** Bytes of FAT that {@code entries} entries need. */
    long fatBytes(long entries) {
        return this == FAT12 ? (entries * 3 + 1) / 2 : entries * bits / 8;
    }
}
