package org.devrt.vfs.internal.partition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.devrt.device.BlockDevice;
import org.devrt.vfs.internal.cache.Buffers;

/**
 * Writes a new partition table over a whole disk, as fdisk or sgdisk would with their defaults: partitions start on
 * 1 MiB boundaries (2048 blocks of 512 bytes), in the order given, and one without a size takes what is left. An
 * MBR holds up to four primary partitions (LBA entries, no CHS); a GPT (UEFI 2.x, section 5.3) is a protective
 * MBR, the primary header at LBA 1 with 128 entries of 128 bytes from LBA 2, and the backup entries and header at
 * the end of the disk, all with their CRC32s. The data of the partitions is not touched.
 */
public final class PartitionWriter {
    /** Partitions start on this boundary, in bytes. */
    static final long ALIGNMENT_BYTES = 1 << 20;
    static final int GPT_ENTRIES = 128;

    /**
     * One partition to make.
     *
     * @param bytes its size, rounded down to whole blocks; 0 for the rest of the disk (the last one only)
     * @param mbrType the MBR system id (0x0C FAT32 LBA, 0x0E FAT16 LBA, 0x01 FAT12)
     * @param name the GPT partition name (up to 36 UTF-16 units), "" for none
     */
    public record Spec(long bytes, int mbrType, String name) {
    }

    /** Where a partition went: its first block and length in blocks. */
    public record Placed(long startLba, long blockCount) {
    }

    private PartitionWriter() {
    }

    /** Writes an MBR with {@code specs} as primary partitions 1..4; returns where each went. */
    public static List<Placed> writeMbr(BlockDevice device, List<Spec> specs) throws IOException {
        if (specs.isEmpty() || specs.size() > 4) {
            throw new IllegalArgumentException("an MBR holds 1 to 4 primary partitions, not " + specs.size());
        }
        List<Placed> placed = layout(device, specs, device.blockCount() - 1);
        ByteBuffer mbr = Buffers.allocate(device.blockSize());
        for (int i = 0; i < placed.size(); i++) {
            Placed p = placed.get(i);
            if (p.startLba() + p.blockCount() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("partition " + (i + 1) + " ends past the 2 TiB an MBR can address"
                        + " (with 512-byte blocks): use GPT");
            }
            Mbr.putEntry(mbr, i, specs.get(i).mbrType(), p.startLba(), p.blockCount());
        }
        // a random disk signature, never 0, as fdisk and sfdisk write: with 0 every disk devrt partitioned had the
        // same Linux PARTUUIDs (00000000-01), and Windows rewrites a zero signature
        mbr.duplicate().order(ByteOrder.LITTLE_ENDIAN).putInt(Mbr.DISK_SIGNATURE,
                1 + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
        device.write(0, mbr.clear());
        return placed;
    }

    /** Writes a GPT with {@code specs} as partitions 1..n, all of type Basic Data; returns where each went. */
    public static List<Placed> writeGpt(BlockDevice device, List<Spec> specs) throws IOException {
        if (specs.isEmpty() || specs.size() > GPT_ENTRIES) {
            throw new IllegalArgumentException("a GPT here holds 1 to " + GPT_ENTRIES + " partitions, not "
                    + specs.size());
        }
        int bs = device.blockSize();
        long blocks = device.blockCount();
        int arrayBlocks = GPT_ENTRIES * Gpt.ENTRY_SIZE / bs;
        long lastUsable = blocks - 2 - arrayBlocks;
        List<Placed> placed = layout(device, specs, lastUsable);

        ByteBuffer array = Buffers.allocate(arrayBlocks * bs).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < placed.size(); i++) {
            int at = i * Gpt.ENTRY_SIZE;
            Placed p = placed.get(i);
            Gpt.putGuid(array, at + Gpt.E_PARTITION_TYPE_GUID, Gpt.BASIC_DATA);
            Gpt.putGuid(array, at + Gpt.E_UNIQUE_PARTITION_GUID, UUID.randomUUID().toString());
            array.putLong(at + Gpt.E_STARTING_LBA, p.startLba());
            array.putLong(at + Gpt.E_ENDING_LBA, p.startLba() + p.blockCount() - 1);
            byte[] name = specs.get(i).name().getBytes(StandardCharsets.UTF_16LE);
            if (name.length > Gpt.E_PARTITION_NAME_LENGTH) {
                throw new IllegalArgumentException("GPT partition name '" + specs.get(i).name()
                        + "' is longer than 36 UTF-16 units");
            }
            array.put(at + Gpt.E_PARTITION_NAME, name);
        }
        int arrayCrc = Gpt.crc32(array, 0, GPT_ENTRIES * Gpt.ENTRY_SIZE, -1);
        String diskGuid = UUID.randomUUID().toString();
        long backupArrayLba = lastUsable + 1;

        ByteBuffer protective = Buffers.allocate(bs);
        Mbr.putEntry(protective, 0, Mbr.TYPE_GPT_PROTECTIVE, 1, Math.min(blocks - 1, 0xFFFF_FFFFL));
        device.write(0, protective.clear());
        device.write(2, array.clear());
        device.write(backupArrayLba, array.clear());
        device.write(1, header(bs, 1, blocks - 1, lastUsable, diskGuid, 2, arrayCrc));
        device.write(blocks - 1, header(bs, blocks - 1, 1, lastUsable, diskGuid, backupArrayLba, arrayCrc));
        return placed;
    }

    private static ByteBuffer header(int blockSize, long myLba, long alternateLba, long lastUsable, String diskGuid,
            long entryLba, int arrayCrc) {
        ByteBuffer h = Buffers.allocate(blockSize).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(Gpt.H_SIGNATURE, Gpt.SIGNATURE);
        h.putInt(Gpt.H_REVISION, Gpt.REVISION_1_0);
        h.putInt(Gpt.H_HEADER_SIZE, Gpt.HEADER_SIZE);
        h.putLong(Gpt.H_MY_LBA, myLba);
        h.putLong(Gpt.H_ALTERNATE_LBA, alternateLba);
        h.putLong(Gpt.H_FIRST_USABLE_LBA, 2 + GPT_ENTRIES * Gpt.ENTRY_SIZE / blockSize);
        h.putLong(Gpt.H_LAST_USABLE_LBA, lastUsable);
        Gpt.putGuid(h, Gpt.H_DISK_GUID, diskGuid);
        h.putLong(Gpt.H_PARTITION_ENTRY_LBA, entryLba);
        h.putInt(Gpt.H_NUMBER_OF_PARTITION_ENTRIES, GPT_ENTRIES);
        h.putInt(Gpt.H_SIZE_OF_PARTITION_ENTRY, Gpt.ENTRY_SIZE);
        h.putInt(Gpt.H_PARTITION_ENTRY_ARRAY_CRC32, arrayCrc);
        h.putInt(Gpt.H_HEADER_CRC32, Gpt.crc32(h, 0, Gpt.HEADER_SIZE, Gpt.H_HEADER_CRC32));
        return h.clear();
    }

    /** Places the partitions from the first 1 MiB boundary up to {@code lastLba}, each on a 1 MiB boundary. */
    static List<Placed> layout(BlockDevice device, List<Spec> specs, long lastLba) {
        long align = Math.max(1, ALIGNMENT_BYTES / device.blockSize());
        long next = align;
        List<Placed> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            if (s.bytes() == 0 && i != specs.size() - 1) {
                throw new IllegalArgumentException("only the last partition may take the rest of the disk ('*')");
            }
            long room = lastLba + 1 - next;
            long count = s.bytes() == 0 ? room : s.bytes() / device.blockSize();
            if (count <= 0 || count > room) {
                throw new IllegalArgumentException(String.format("partition %d (%s) does not fit: %d blocks left"
                        + " of %d", i + 1, s.bytes() == 0 ? "the rest" : s.bytes() + " bytes", Math.max(0, room),
                        device.blockCount()));
            }
            out.add(new Placed(next, count));
            next = (next + count + align - 1) / align * align;
        }
        return out;
    }
}
