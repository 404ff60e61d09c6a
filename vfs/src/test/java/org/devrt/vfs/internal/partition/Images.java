package org.devrt.vfs.internal.partition;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import org.devrt.vfs.internal.fakes.MemoryBlockDevice;

/** Golden partition tables written field by field, as the specifications lay them out. */
final class Images {
    static final int BS = 512;

    private Images() {
    }

    static ByteBuffer block(MemoryBlockDevice d, long lba) {
        return ByteBuffer.wrap(d.image(), (int) (lba * d.blockSize()), d.blockSize()).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    static void mbrEntry(MemoryBlockDevice d, long lba, int slot, int type, long start, long size) {
        Mbr.putEntry(block(d, lba), slot, type, start, size);
    }

    /** A GPT of {@code entries} entries: protective MBR, primary header at 1, array at 2, backup at the end. */
    static void gpt(MemoryBlockDevice d, int entries, long[][] parts) {
        long last = d.blockCount() - 1;
        int arrayBlocks = entries * Gpt.ENTRY_SIZE / d.blockSize();
        mbrEntry(d, 0, 0, Mbr.TYPE_GPT_PROTECTIVE, 1, Math.min(last, 0xFFFFFFFFL));
        ByteBuffer array = ByteBuffer.allocate(entries * Gpt.ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < parts.length; i++) {
            int at = i * Gpt.ENTRY_SIZE;
            Gpt.putGuid(array, at + Gpt.E_PARTITION_TYPE_GUID, Gpt.BASIC_DATA);
            Gpt.putGuid(array, at + Gpt.E_UNIQUE_PARTITION_GUID, String.format("%08X-0000-0000-0000-000000000000", i + 1));
            array.putLong(at + Gpt.E_STARTING_LBA, parts[i][0]);
            array.putLong(at + Gpt.E_ENDING_LBA, parts[i][0] + parts[i][1] - 1);
            byte[] name = ("part" + (i + 1)).getBytes(StandardCharsets.UTF_16LE);
            array.put(at + Gpt.E_PARTITION_NAME, name, 0, name.length);
        }
        CRC32 crc = new CRC32();
        crc.update(array.array());
        int arrayCrc = (int) crc.getValue();
        long firstUsable = 2 + arrayBlocks;
        long lastUsable = last - 1 - arrayBlocks;
        System.arraycopy(array.array(), 0, d.image(), 2 * d.blockSize(), array.capacity());
        System.arraycopy(array.array(), 0, d.image(), (int) ((last - arrayBlocks) * d.blockSize()), array.capacity());
        header(block(d, 1), 1, last, firstUsable, lastUsable, 2, entries, arrayCrc);
        header(block(d, last), last, 1, firstUsable, lastUsable, last - arrayBlocks, entries, arrayCrc);
    }

    private static void header(ByteBuffer b, long my, long alternate, long first, long lastUsable, long entryLba,
            int entries, int arrayCrc) {
        b.putLong(Gpt.H_SIGNATURE, Gpt.SIGNATURE);
        b.putInt(Gpt.H_REVISION, Gpt.REVISION_1_0);
        b.putInt(Gpt.H_HEADER_SIZE, Gpt.HEADER_SIZE);
        b.putLong(Gpt.H_MY_LBA, my);
        b.putLong(Gpt.H_ALTERNATE_LBA, alternate);
        b.putLong(Gpt.H_FIRST_USABLE_LBA, first);
        b.putLong(Gpt.H_LAST_USABLE_LBA, lastUsable);
        Gpt.putGuid(b, Gpt.H_DISK_GUID, "12345678-9ABC-DEF0-1234-56789ABCDEF0");
        b.putLong(Gpt.H_PARTITION_ENTRY_LBA, entryLba);
        b.putInt(Gpt.H_NUMBER_OF_PARTITION_ENTRIES, entries);
        b.putInt(Gpt.H_SIZE_OF_PARTITION_ENTRY, Gpt.ENTRY_SIZE);
        b.putInt(Gpt.H_PARTITION_ENTRY_ARRAY_CRC32, arrayCrc);
        b.putInt(Gpt.H_HEADER_CRC32, 0);
        b.putInt(Gpt.H_HEADER_CRC32, Gpt.crc32(b, 0, Gpt.HEADER_SIZE, -1));
    }
}
