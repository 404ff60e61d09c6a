package org.devrt.vfs.internal.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.devrt.vfs.CorruptFilesystemException;

/**
 * The FAT boot sector and BIOS Parameter Block (FAT spec, sections 3.1-3.3), with the specification's field
 * names. {@link #parse} is the checked constructor: each inconsistency is a {@link CorruptFilesystemException}
 * naming the field; afterwards the layout values are trusted.
 */
final class BootSector {
    static final int BS_JMP_BOOT = 0;
    static final int BS_OEM_NAME = 3;
    static final int BPB_BYTS_PER_SEC = 11;
    static final int BPB_SEC_PER_CLUS = 13;
    static final int BPB_RSVD_SEC_CNT = 14;
    static final int BPB_NUM_FATS = 16;
    static final int BPB_ROOT_ENT_CNT = 17;
    static final int BPB_TOT_SEC16 = 19;
    static final int BPB_MEDIA = 21;
    static final int BPB_FAT_SZ16 = 22;
    static final int BPB_SEC_PER_TRK = 24;
    static final int BPB_NUM_HEADS = 26;
    static final int BPB_HIDD_SEC = 28;
    static final int BPB_TOT_SEC32 = 32;
    // FAT12/16 from offset 36
    static final int BS_DRV_NUM = 36;
    static final int BS_RESERVED1 = 37;
    static final int BS_BOOT_SIG = 38;
    static final int BS_VOL_ID = 39;
    static final int BS_VOL_LAB = 43;
    static final int BS_FIL_SYS_TYPE = 54;
    // FAT32 from offset 36
    static final int BPB_FAT_SZ32 = 36;
    static final int BPB_EXT_FLAGS = 40;
    static final int BPB_FS_VER = 42;
    static final int BPB_ROOT_CLUS = 44;
    static final int BPB_FS_INFO = 48;
    static final int BPB_BK_BOOT_SEC = 50;
    static final int BS32_DRV_NUM = 64;
    static final int BS32_RESERVED1 = 65;
    static final int BS32_BOOT_SIG = 66;
    static final int BS32_VOL_ID = 67;
    static final int BS32_VOL_LAB = 71;
    static final int BS32_FIL_SYS_TYPE = 82;
    static final int SIGNATURE = 510;

    static final int EXTENDED_BOOT_SIGNATURE = 0x29;
    /** Bit 0 of BS_Reserved1: Linux's and dosfstools' "volume dirty" flag. */
    static final int STATE_DIRTY = 0x01;
    /** BPB_ExtFlags bit 7: only the active FAT (bits 0-3) is in use. */
    static final int EXT_FLAGS_NO_MIRROR = 0x80;

    final int bytesPerSector;
    final int sectorsPerCluster;
    final int reservedSectors;
    final int numFats;
    final int rootEntries;
    final long totalSectors;
    final int media;
    final long fatSectors;
    final FatType type;
    final long clusterCount;
    final int rootCluster;
    final int fsInfoSector;
    final boolean mirrored;
    final int activeFat;
    final String label;
    final long volumeId;

    private BootSector(ByteBuffer b, FatType type, long fatSectors, long totalSectors, long clusterCount) {
        this.bytesPerSector = b.getShort(BPB_BYTS_PER_SEC) & 0xFFFF;
        this.sectorsPerCluster = b.get(BPB_SEC_PER_CLUS) & 0xFF;
        this.reservedSectors = b.getShort(BPB_RSVD_SEC_CNT) & 0xFFFF;
        this.numFats = b.get(BPB_NUM_FATS) & 0xFF;
        this.rootEntries = b.getShort(BPB_ROOT_ENT_CNT) & 0xFFFF;
        this.media = b.get(BPB_MEDIA) & 0xFF;
        this.type = type;
        this.fatSectors = fatSectors;
        this.totalSectors = totalSectors;
        this.clusterCount = clusterCount;
        boolean fat32 = type == FatType.FAT32;
        this.rootCluster = fat32 ? b.getInt(BPB_ROOT_CLUS) : 0;
        this.fsInfoSector = fat32 ? b.getShort(BPB_FS_INFO) & 0xFFFF : 0;
        int extFlags = fat32 ? b.getShort(BPB_EXT_FLAGS) & 0xFFFF : 0;
        this.mirrored = (extFlags & EXT_FLAGS_NO_MIRROR) == 0;
        this.activeFat = mirrored ? 0 : extFlags & 0xF;
        boolean extended = (b.get(fat32 ? BS32_BOOT_SIG : BS_BOOT_SIG) & 0xFF) == EXTENDED_BOOT_SIGNATURE;
        this.label = extended ? text(b, fat32 ? BS32_VOL_LAB : BS_VOL_LAB, 11) : "";
        this.volumeId = extended ? Integer.toUnsignedLong(b.getInt(fat32 ? BS32_VOL_ID : BS_VOL_ID)) : 0;
    }

    /**
     * Whether the sector claims to be a FAT boot sector at all: an x86 jump or the 55AA signature, and not another
     * filesystem that shares the layout (NTFS, exFAT). A sector that claims FAT and fails {@link #parse} is a
     * corrupt FAT volume; one that does not claim it is simply not FAT.
     */
    static boolean claimsFat(ByteBuffer sector) {
        ByteBuffer b = sector.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int jump = b.get(BS_JMP_BOOT) & 0xFF;
        boolean jumps = (jump == 0xEB && (b.get(2) & 0xFF) == 0x90) || jump == 0xE9;
        boolean signed = (b.getShort(SIGNATURE) & 0xFFFF) == 0xAA55;
        String oem = text(b, BS_OEM_NAME, 8);
        return (jumps || signed) && !oem.equals("NTFS") && !oem.equals("EXFAT");
    }

    /**
     * Checks a boot sector against the rules of the FAT specification.
     *
     * @param sector the first sector of the volume (at least 512 bytes)
     * @param volumeBytes the size of the partition that holds it
     */
    static BootSector parse(ByteBuffer sector, long volumeBytes) throws CorruptFilesystemException {
        ByteBuffer b = sector.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int bps = b.getShort(BPB_BYTS_PER_SEC) & 0xFFFF;
        check(bps >= 512 && bps <= 4096 && Integer.bitCount(bps) == 1, "BPB_BytsPerSec", bps,
                "must be 512, 1024, 2048 or 4096");
        int spc = b.get(BPB_SEC_PER_CLUS) & 0xFF;
        check(spc > 0 && Integer.bitCount(spc) == 1, "BPB_SecPerClus", spc, "must be a power of two from 1 to 128");
        check((long) spc * bps <= 65536, "BPB_SecPerClus", spc, "makes clusters larger than 64 KiB");
        int rsvd = b.getShort(BPB_RSVD_SEC_CNT) & 0xFFFF;
        check(rsvd > 0, "BPB_RsvdSecCnt", rsvd, "must not be 0");
        int fats = b.get(BPB_NUM_FATS) & 0xFF;
        check(fats >= 1 && fats <= 4, "BPB_NumFATs", fats, "must be 1 to 4");
        int media = b.get(BPB_MEDIA) & 0xFF;
        check(media == 0xF0 || media >= 0xF8, "BPB_Media", media, "must be 0xF0 or 0xF8-0xFF");
        int tot16 = b.getShort(BPB_TOT_SEC16) & 0xFFFF;
        long total = tot16 != 0 ? tot16 : Integer.toUnsignedLong(b.getInt(BPB_TOT_SEC32));
        check(total > 0, "BPB_TotSec32", total, "must not be 0 when BPB_TotSec16 is 0");
        check(total <= volumeBytes / bps, tot16 != 0 ? "BPB_TotSec16" : "BPB_TotSec32", total,
                "is more than the " + volumeBytes / bps + " sectors of the partition");
        int fatSz16 = b.getShort(BPB_FAT_SZ16) & 0xFFFF;
        long fatSz = fatSz16 != 0 ? fatSz16 : Integer.toUnsignedLong(b.getInt(BPB_FAT_SZ32));
        check(fatSz > 0, "BPB_FATSz32", fatSz, "must not be 0 when BPB_FATSz16 is 0");
        int rootEnt = b.getShort(BPB_ROOT_ENT_CNT) & 0xFFFF;
        long rootSectors = ((long) rootEnt * 32 + bps - 1) / bps;
        long meta = rsvd + fats * fatSz + rootSectors;
        check(meta < total, "BPB_FATSz" + (fatSz16 != 0 ? "16" : "32"), fatSz,
                "leaves no data area (reserved, FATs and root directory need " + meta + " of " + total + " sectors)");
        long clusters = (total - meta) / spc;
        // The cluster count decides (the specification), but a FAT32 BPB (BPB_FATSz16 0) on fewer clusters than
        // FAT32 needs is FAT32 too: mkfs.fat -F 32 makes such volumes on small partitions and Linux mounts them (it
        // takes the BPB's word); they were refused as corrupt.
        FatType type = fatSz16 == 0 && clusters <= FatType.FAT16_MAX_CLUSTERS ? FatType.FAT32
                : FatType.ofClusterCount(clusters);
        if (type == FatType.FAT32) {
            // cluster numbers from 0x0FFFFFF7 on are the bad-cluster and end-of-chain marks (Linux's fat_fill_super:
            // "count of clusters too big"; fsck.fat refuses it too): a chain would end in the middle of a file
            check(clusters <= FatType.FAT32_MAX_CLUSTERS, "BPB_TotSec32", total, "makes " + clusters
                    + " clusters; FAT32 addresses at most " + FatType.FAT32_MAX_CLUSTERS);
            check(fatSz16 == 0, "BPB_FATSz16", fatSz16, "must be 0 on FAT32 (" + clusters + " clusters)");
            check(rootEnt == 0, "BPB_RootEntCnt", rootEnt, "must be 0 on FAT32 (" + clusters + " clusters)");
            int ver = b.getShort(BPB_FS_VER) & 0xFFFF;
            check(ver == 0, "BPB_FSVer", ver, "must be 0.0 (a newer FAT32 revision is not supported)");
            long root = Integer.toUnsignedLong(b.getInt(BPB_ROOT_CLUS));
            check(root >= 2 && root <= clusters + 1, "BPB_RootClus", root, "must be a cluster from 2 to "
                    + (clusters + 1));
            int ext = b.getShort(BPB_EXT_FLAGS) & 0xFFFF;
            check((ext & EXT_FLAGS_NO_MIRROR) == 0 || (ext & 0xF) < fats, "BPB_ExtFlags", ext,
                    "names an active FAT that does not exist");
        } else {
            check(fatSz16 != 0, "BPB_FATSz16", fatSz16, "must not be 0: " + clusters + " clusters make a "
                    + type + " volume, which has no FAT32 BPB");
            check(rootEnt != 0, "BPB_RootEntCnt", rootEnt, "must not be 0 on " + type);
        }
        long needed = (type.fatBytes(clusters + 2) + bps - 1) / bps;
        check(fatSz >= needed, "BPB_FATSz" + (fatSz16 != 0 ? "16" : "32"), fatSz,
                "is too small for " + clusters + " clusters (" + needed + " sectors needed)");
        return new BootSector(b, type, fatSz, total, clusters);
    }

    private static void check(boolean ok, String field, long value, String rule) throws CorruptFilesystemException {
        if (!ok) {
            throw new CorruptFilesystemException(field + " (" + value + ") " + rule);
        }
    }

    static String text(ByteBuffer b, int at, int length) {
        byte[] raw = new byte[length];
        b.duplicate().position(at).get(raw);
        return new String(raw, StandardCharsets.ISO_8859_1).trim();
    }

    int clusterSize() {
        return bytesPerSector * sectorsPerCluster;
    }

    long fatOffset(int copy) {
        return ((long) reservedSectors + copy * fatSectors) * bytesPerSector;
    }

    long rootDirOffset() {
        return fatOffset(numFats);
    }

    long dataOffset() {
        return rootDirOffset() + ((long) rootEntries * 32 + bytesPerSector - 1) / bytesPerSector * bytesPerSector;
    }

    /** The highest valid cluster number. */
    long maxCluster() {
        return clusterCount + 1;
    }

    /** Offset of BS_Reserved1, where the dirty flag lives. */
    int stateOffset() {
        return type == FatType.FAT32 ? BS32_RESERVED1 : BS_RESERVED1;
    }
}
