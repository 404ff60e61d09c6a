package org.devrt.vfs.internal.mount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.devrt.vfs.internal.fat.FatFormatter;
import org.devrt.vfs.internal.fat.FatType;

/** Disks for the mount tests: an MBR with FAT partitions, or a whole-disk FAT volume, made by devrt's mkfs. */
final class Volumes {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-17T10:20:30Z"), ZoneOffset.UTC);

    private Volumes() {
    }

    /** A disk with an MBR: one partition per {start, blocks, FAT bits or 0 for none} entry. */
    static MemoryBlockDevice partitioned(long blocks, long[]... parts) throws IOException {
        MemoryBlockDevice d = new MemoryBlockDevice(512, blocks);
        ByteBuffer mbr = ByteBuffer.wrap(d.image(), 0, 512).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < parts.length; i++) {
            int at = 0x1BE + 16 * i;
            mbr.put(at + 4, (byte) 0x0C).putInt(at + 8, (int) parts[i][0]).putInt(at + 12, (int) parts[i][1]);
            if (parts[i][2] != 0) {
                format(d, parts[i][0], parts[i][1], FatType.valueOf("FAT" + parts[i][2]), "PART" + (i + 1));
            }
        }
        mbr.putShort(510, (short) 0xAA55);
        return d;
    }

    static MemoryBlockDevice whole(long blocks, FatType type) throws IOException {
        MemoryBlockDevice d = new MemoryBlockDevice(512, blocks);
        format(d, 0, blocks, type, "WHOLE");
        return d;
    }

    static void format(MemoryBlockDevice d, long start, long blocks, FatType type, String label) throws IOException {
        FatFormatter.format(new BlockCache(d, start, blocks, 1 << 20), 512,
                new FatFormatter.Options(type, type == FatType.FAT12 ? 0 : 1, label, 7L, start), CLOCK);
    }
}
