package org.devrt.vfs.internal.fat;

/**
 * The geometry a new FAT volume gets: FAT type, cluster size, reserved sectors, root directory size, FAT size and
 * the CHS geometry, chosen as dosfstools 4.2's mkfs.fat chooses them for a disk that reports no geometry, so that
 * devrt and Linux format a volume of a given size alike.
 *
 * <p>The steps: a CHS geometry from the size (up to 256 MiB the SD card recommendation, 2 to 16 heads of 16 or 32
 * sectors; above, LBA-assist translation, 16 to 255 heads of 63 sectors); the sector count rounded down to whole
 * tracks (DOS and mtools want that); volumes of 512 MiB and more are FAT32, with clusters by size as Microsoft's
 * format does (up to 260 MiB: 1 sector, to 8 GiB: 8, to 16 GiB: 16, to 32 GiB: 32, above: 64); smaller ones start
 * at 4 sectors per cluster and double it until a FAT12 (at most 4084 clusters) or FAT16 (4087 to 65524) fits, and
 * the type with more clusters wins. Above 8192 sectors the reserved area, each FAT and the root directory are
 * rounded up to whole clusters, so that clusters are aligned.
 *
 * @param type the FAT type
 * @param bytesPerSector logical sector size
 * @param sectorsPerCluster sectors per cluster
 * @param reservedSectors sectors before the first FAT
 * @param numFats copies of the FAT
 * @param rootEntries root directory entries (0 on FAT32)
 * @param totalSectors sectors in the volume
 * @param fatSectors sectors per FAT
 * @param clusterCount data clusters
 * @param heads CHS heads (BPB_NumHeads)
 * @param sectorsPerTrack CHS sectors per track (BPB_SecPerTrk)
 */
public record FatLayout(FatType type, int bytesPerSector, int sectorsPerCluster, int reservedSectors, int numFats,
        int rootEntries, long totalSectors, long fatSectors, long clusterCount, int heads, int sectorsPerTrack) {
    static final int MIN_FAT16_CLUSTERS = 4087; // Windows reads 4085 and 4086 clusters as FAT12
    static final int MIN_FAT32_CLUSTERS = 65525;
    static final int MAX_FAT32_CLUSTERS = 268435446;
    static final int DEFAULT_ROOT_ENTRIES = 512;
    static final int NUM_FATS = 2;

    /**
     * The layout for a volume.
     *
     * @param volumeBytes the partition's size
     * @param sectorSize the logical sector size (the disk's block size, at least 512)
     * @param wanted a FAT type, or null to choose one
     * @param wantedSectorsPerCluster a cluster size in sectors (a power of two up to 128), or 0 to choose one
     * @throws IllegalArgumentException if no layout of that type and cluster size fits, saying why
     */
    public static FatLayout choose(long volumeBytes, int sectorSize, FatType wanted, int wantedSectorsPerCluster) {
        if (sectorSize < 512 || sectorSize > 4096 || Integer.bitCount(sectorSize) != 1) {
            throw new IllegalArgumentException("sector size (" + sectorSize + ") must be 512, 1024, 2048 or 4096");
        }
        if (wantedSectorsPerCluster != 0 && (wantedSectorsPerCluster > 128
                || Integer.bitCount(wantedSectorsPerCluster) != 1)) {
            throw new IllegalArgumentException("sectors per cluster (" + wantedSectorsPerCluster
                    + ") must be a power of two from 1 to 128");
        }
        long deviceSectors = volumeBytes / sectorSize;
        int heads;
        int spt;
        if (deviceSectors <= 524288) {
            heads = deviceSectors <= 32768 ? 2 : deviceSectors <= 65536 ? 4 : deviceSectors <= 262144 ? 8 : 16;
            spt = deviceSectors <= 4096 ? 16 : 32;
        } else {
            long track = 63 * 1024;
            heads = deviceSectors <= 16 * track ? 16 : deviceSectors <= 32 * track ? 32
                    : deviceSectors <= 64 * track ? 64 : deviceSectors <= 128 * track ? 128 : 255;
            spt = 63;
        }
        long sectors = Math.min(deviceSectors, 0xFFFFFFFFL) / spt * spt;
        FatType type = wanted;
        if (type == null && volumeBytes >= 512L << 20) {
            type = FatType.FAT32;
        }
        int spc = 4;
        if (type == FatType.FAT32) {
            long mib2 = 1024 * 1024 * 2;
            spc = deviceSectors > 32 * mib2 ? 64 : deviceSectors > 16 * mib2 ? 32 : deviceSectors > 8 * mib2 ? 16
                    : deviceSectors > 260 * 1024 * 2 ? 8 : 1;
        }
        int maxSpc = 128;
        if (wantedSectorsPerCluster != 0) {
            spc = maxSpc = wantedSectorsPerCluster;
        }
        int reserved = type == FatType.FAT32 ? 32 : 1;
        int rootEntries = type == FatType.FAT32 ? 0 : DEFAULT_ROOT_ENTRIES;
        long rootSectors = cdiv(rootEntries * 32L, sectorSize);
        boolean align = sectors > 8192;
        long[] c12;
        long[] c16;
        long[] c32;
        while (true) {
            long data32 = sectors - align(reserved, spc, align);
            long data1216 = data32 - align(rootSectors, spc, align);
            c12 = fat12(data1216, sectorSize, spc, align);
            c16 = fat16(data1216, sectorSize, spc, align);
            c32 = fat32(data32, sectorSize, spc, align, wanted == FatType.FAT32);
            if ((c12[0] > 0 && (type == null || type == FatType.FAT12))
                    || (c16[0] > 0 && (type == null || type == FatType.FAT16))
                    || (c32[0] > 0 && type == FatType.FAT32)) {
                break;
            }
            spc <<= 1;
            if (spc > maxSpc) {
                break;
            }
        }
        if (type == null) {
            type = c16[0] > c12[0] ? FatType.FAT16 : FatType.FAT12;
        }
        long[] chosen = switch (type) {
            case FAT12 -> c12;
            case FAT16 -> c16;
            case FAT32 -> c32;
        };
        String size = volumeBytes + " bytes";
        if (chosen[0] <= 0) {
            throw new IllegalArgumentException(size + " cannot hold a " + type + " volume"
                    + (wantedSectorsPerCluster != 0 ? " with " + wantedSectorsPerCluster + " sectors per cluster" : "")
                    + ": the cluster count is outside " + type + "'s range");
        }
        if (type == FatType.FAT32 && chosen[0] < MIN_FAT32_CLUSTERS) {
            throw new IllegalArgumentException(size + " make " + chosen[0] + " clusters: a FAT16 volume by the"
                    + " specification, not FAT32 (65525 clusters needed); use FAT16, smaller clusters or more space");
        }
        int finalReserved = (int) align(reserved, spc, align);
        long dataStart = finalReserved + NUM_FATS * chosen[1] + (type == FatType.FAT32 ? 0 : rootSectors);
        if (sectors < dataStart + 64) {
            throw new IllegalArgumentException(size + " are too few for a FAT volume");
        }
        int finalRoot = type == FatType.FAT32 ? 0
                : align ? (int) (align(rootSectors, spc, true) * (sectorSize / 32)) : rootEntries;
        return new FatLayout(type, sectorSize, spc, finalReserved, NUM_FATS, finalRoot, sectors, chosen[1], chosen[0],
                heads, spt);
    }

    /** {clusters, FAT sectors}; clusters 0 when this type does not fit. */
    private static long[] fat12(long data, int ss, int spc, boolean align) {
        long clusters = 2 * (data * ss + NUM_FATS * 3L) / (2L * spc * ss + NUM_FATS * 3L);
        long fat = align(cdiv(((clusters + 2) * 3 + 1) >> 1, ss), spc, align);
        clusters = (data - NUM_FATS * fat) / spc;
        long max = Math.min(fat * 2 * ss / 3, FatType.FAT12_MAX_CLUSTERS);
        return new long[] {clusters > max || clusters < 0 ? 0 : clusters, fat};
    }

    private static long[] fat16(long data, int ss, int spc, boolean align) {
        long clusters = (data * ss + NUM_FATS * 4L) / ((long) spc * ss + NUM_FATS * 2L);
        long fat = align(cdiv((clusters + 2) * 2, ss), spc, align);
        clusters = (data - NUM_FATS * fat) / spc;
        long max = Math.min(fat * ss / 2, FatType.FAT16_MAX_CLUSTERS);
        return new long[] {clusters > max || clusters < MIN_FAT16_CLUSTERS ? 0 : clusters, fat};
    }

    private static long[] fat32(long data, int ss, int spc, boolean align, boolean forced) {
        long clusters = (data * ss + NUM_FATS * 8L) / ((long) spc * ss + NUM_FATS * 4L);
        long fat = align(cdiv((clusters + 2) * 4, ss), spc, align);
        clusters = (data - NUM_FATS * fat) / spc;
        long max = Math.min(fat * ss / 4, MAX_FAT32_CLUSTERS);
        boolean tooFew = clusters < MIN_FAT32_CLUSTERS && !forced;
        return new long[] {clusters > max || clusters < 0 || tooFew ? 0 : clusters, fat};
    }

    private static long align(long sectors, int spc, boolean align) {
        return align ? (sectors + spc - 1) / spc * spc : sectors;
    }

    private static long cdiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
