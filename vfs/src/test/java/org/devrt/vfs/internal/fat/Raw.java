package org.devrt.vfs.internal.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads and pokes a FAT image's structures directly, to check what is on the medium and to damage it. */
final class Raw {
    final byte[] image;
    final ByteBuffer b;
    final BootSector bs;

    Raw(byte[] image) throws Exception {
        this.image = image;
        this.b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        this.bs = BootSector.parse(ByteBuffer.wrap(image, 0, 512), image.length);
    }

    int fat(int copy, long cluster) {
        long at = bs.fatOffset(copy);
        return switch (bs.type) {
            case FAT12 -> {
                int v = b.getShort((int) (at + cluster + cluster / 2)) & 0xFFFF;
                yield (cluster & 1) == 0 ? v & 0xFFF : v >>> 4;
            }
            case FAT16 -> b.getShort((int) (at + cluster * 2)) & 0xFFFF;
            case FAT32 -> b.getInt((int) (at + cluster * 4)) & 0x0FFFFFFF;
        };
    }

    /** Sets an entry in every FAT copy. */
    void setFat(long cluster, int value) {
        for (int copy = 0; copy < bs.numFats; copy++) {
            long at = bs.fatOffset(copy);
            switch (bs.type) {
                case FAT12 -> {
                    int off = (int) (at + cluster + cluster / 2);
                    int old = b.getShort(off) & 0xFFFF;
                    int v = (cluster & 1) == 0 ? (old & 0xF000) | (value & 0xFFF) : (old & 0xF) | ((value & 0xFFF) << 4);
                    b.putShort(off, (short) v);
                }
                case FAT16 -> b.putShort((int) (at + cluster * 2), (short) value);
                case FAT32 -> b.putInt((int) (at + cluster * 4), value);
            }
        }
    }

    byte[] fatCopy(int copy) {
        int at = (int) bs.fatOffset(copy);
        return Arrays.copyOfRange(image, at, at + (int) (bs.fatSectors * bs.bytesPerSector));
    }

    /** Offset of the root directory entry whose 11-byte name is {@code name11} (FAT12/16 root area, FAT32 cluster). */
    int rootEntry(String name11) {
        long start = bs.type == FatType.FAT32 ? clusterOffset(bs.rootCluster) : bs.rootDirOffset();
        int count = bs.type == FatType.FAT32 ? bs.clusterSize() / 32 : bs.rootEntries;
        byte[] want = name11.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            int at = (int) (start + i * 32L);
            if (Arrays.equals(Arrays.copyOfRange(image, at, at + 11), want)) {
                return at;
            }
        }
        throw new AssertionError("no root entry " + name11);
    }

    int firstCluster(int entry) {
        return (b.getShort(entry + 20) & 0xFFFF) << 16 | (b.getShort(entry + 26) & 0xFFFF);
    }

    long clusterOffset(long cluster) {
        return bs.dataOffset() + (cluster - 2) * bs.clusterSize();
    }

    int dirtyByte() {
        return image[bs.stateOffset()] & 0xFF;
    }

    long fsInfoFree() {
        return Integer.toUnsignedLong(b.getInt(bs.fsInfoSector * bs.bytesPerSector + FsInfo.FSI_FREE_COUNT));
    }

    long countFree() {
        long n = 0;
        for (long c = 2; c <= bs.maxCluster(); c++) {
            if (fat(0, c) == 0) {
                n++;
            }
        }
        return n;
    }
}
