package org.devrt.vfs.internal.partition;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The GUID Partition Table header and entries (UEFI 2.x, section 5.3), with the field names of the
 * specification. {@link #parseHeader} is the checked constructor: after it, the header's values are trusted.
 */
final class Gpt {
    static final long SIGNATURE = 0x5452415020494645L; // "EFI PART", little-endian
    static final int REVISION_1_0 = 0x00010000;
    // header fields (5.3.2, table 5-5)
    static final int H_SIGNATURE = 0;
    static final int H_REVISION = 8;
    static final int H_HEADER_SIZE = 12;
    static final int H_HEADER_CRC32 = 16;
    static final int H_MY_LBA = 24;
    static final int H_ALTERNATE_LBA = 32;
    static final int H_FIRST_USABLE_LBA = 40;
    static final int H_LAST_USABLE_LBA = 48;
    static final int H_DISK_GUID = 56;
    static final int H_PARTITION_ENTRY_LBA = 72;
    static final int H_NUMBER_OF_PARTITION_ENTRIES = 80;
    static final int H_SIZE_OF_PARTITION_ENTRY = 84;
    static final int H_PARTITION_ENTRY_ARRAY_CRC32 = 88;
    static final int HEADER_SIZE = 92;
    // partition entry fields (5.3.3, table 5-6)
    static final int E_PARTITION_TYPE_GUID = 0;
    static final int E_UNIQUE_PARTITION_GUID = 16;
    static final int E_STARTING_LBA = 32;
    static final int E_ENDING_LBA = 40;
    static final int E_ATTRIBUTES = 48;
    static final int E_PARTITION_NAME = 56;
    static final int E_PARTITION_NAME_LENGTH = 72;
    static final int ENTRY_SIZE = 128;
    /** More entry bytes than this is not a table anyone wrote: refuse rather than allocate. */
    static final int MAX_ARRAY_BYTES = 1 << 20;

    static final String EFI_SYSTEM = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    static final String BASIC_DATA = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7";

    record Header(long myLba, long alternateLba, long firstUsableLba, long lastUsableLba, String diskGuid,
            long partitionEntryLba, int numberOfPartitionEntries, int sizeOfPartitionEntry, int entryArrayCrc32) {
        int arrayBytes() {
            return numberOfPartitionEntries * sizeOfPartitionEntry;
        }
    }

    private Gpt() {
    }

    /**
     * Checks a header read from {@code lba} of a disk of {@code blockCount} blocks.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static Header parseHeader(ByteBuffer block, long lba, long blockCount) {
        ByteBuffer b = block.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(H_SIGNATURE) != SIGNATURE) {
            throw new IllegalArgumentException("no \"EFI PART\" signature");
        }
        int headerSize = b.getInt(H_HEADER_SIZE);
        if (headerSize < HEADER_SIZE || headerSize > b.remaining()) {
            throw new IllegalArgumentException("HeaderSize (" + Integer.toUnsignedString(headerSize) + ") must be "
                    + HEADER_SIZE + ".." + b.remaining());
        }
        int stored = b.getInt(H_HEADER_CRC32);
        int computed = crc32(b, 0, headerSize, H_HEADER_CRC32);
        if (stored != computed) {
            throw new IllegalArgumentException(String.format("HeaderCRC32 mismatch (stored %08x, computed %08x)",
                    stored, computed));
        }
        long myLba = b.getLong(H_MY_LBA);
        if (myLba != lba) {
            throw new IllegalArgumentException("MyLBA (" + myLba + ") is not where the header was read (" + lba + ")");
        }
        long first = b.getLong(H_FIRST_USABLE_LBA);
        long last = b.getLong(H_LAST_USABLE_LBA);
        if (first < 2 || last < first || last >= blockCount) {
            throw new IllegalArgumentException("FirstUsableLBA..LastUsableLBA (" + first + ".." + last
                    + ") is not inside the disk of " + blockCount + " blocks");
        }
        long entryLba = b.getLong(H_PARTITION_ENTRY_LBA);
        int count = b.getInt(H_NUMBER_OF_PARTITION_ENTRIES);
        int size = b.getInt(H_SIZE_OF_PARTITION_ENTRY);
        if (size < ENTRY_SIZE || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("SizeOfPartitionEntry (" + Integer.toUnsignedString(size)
                    + ") must be 128 times a power of two");
        }
        if (count < 0 || (long) count * size > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("NumberOfPartitionEntries (" + Integer.toUnsignedString(count)
                    + ") of " + size + " bytes is more than " + MAX_ARRAY_BYTES + " bytes");
        }
        if (entryLba < 2 || entryLba >= blockCount) {
            throw new IllegalArgumentException("PartitionEntryLBA (" + entryLba + ") is outside the disk");
        }
        return new Header(myLba, b.getLong(H_ALTERNATE_LBA), first, last, guid(b, H_DISK_GUID), entryLba, count, size,
                b.getInt(H_PARTITION_ENTRY_ARRAY_CRC32));
    }

    /**
     * Checks the entry array against the header's CRC and returns the used entries.
     *
     * @param problems receives one line for each entry that is ignored
     * @throws IllegalArgumentException if the array's CRC does not match
     */
    static List<Partition> parseEntries(Header h, ByteBuffer array, List<String> problems) {
        ByteBuffer b = array.slice().order(ByteOrder.LITTLE_ENDIAN);
        int computed = crc32(b, 0, h.arrayBytes(), -1);
        if (computed != h.entryArrayCrc32()) {
            throw new IllegalArgumentException(String.format(
                    "PartitionEntryArrayCRC32 mismatch (stored %08x, computed %08x)", h.entryArrayCrc32(), computed));
        }
        List<Partition> out = new ArrayList<>();
        for (int i = 0; i < h.numberOfPartitionEntries(); i++) {
            int at = i * h.sizeOfPartitionEntry();
            if (b.getLong(at + E_PARTITION_TYPE_GUID) == 0 && b.getLong(at + E_PARTITION_TYPE_GUID + 8) == 0) {
                continue;
            }
            long start = b.getLong(at + E_STARTING_LBA);
            long end = b.getLong(at + E_ENDING_LBA);
            if (start < h.firstUsableLba() || end < start || end > h.lastUsableLba()) {
                problems.add("GPT entry " + (i + 1) + ": StartingLBA..EndingLBA (" + start + ".." + end
                        + ") is outside the usable blocks " + h.firstUsableLba() + ".." + h.lastUsableLba()
                        + "; ignored");
                continue;
            }
            out.add(new Partition(i + 1, start, end - start + 1, guid(b, at + E_PARTITION_TYPE_GUID),
                    name(b, at + E_PARTITION_NAME), false));
        }
        return out;
    }

    /** CRC32 of {@code length} bytes from {@code offset}, with the four bytes at {@code zeroed} taken as zero. */
    static int crc32(ByteBuffer b, int offset, int length, int zeroed) {
        byte[] bytes = new byte[length];
        b.duplicate().position(offset).get(bytes);
        if (zeroed >= 0) {
            for (int i = 0; i < 4; i++) {
                bytes[zeroed - offset + i] = 0;
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** A GUID in its text form: the first three fields are stored little-endian, the last two big-endian. */
    static String guid(ByteBuffer b, int at) {
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder s = new StringBuilder(String.format("%08X-%04X-%04X-", le.getInt(at), le.getShort(at + 4),
                le.getShort(at + 6)));
        for (int i = 8; i < 16; i++) {
            s.append(String.format("%02X", b.get(at + i)));
            if (i == 9) {
                s.append('-');
            }
        }
        return s.toString();
    }

    /** Writes a GUID given in text form; for tests and tools. */
    static void putGuid(ByteBuffer b, int at, String guid) {
        String hex = guid.replace("-", "");
        if (hex.length() != 32) {
            throw new IllegalArgumentException("not a GUID: " + guid);
        }
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        le.putInt(at, (int) Long.parseLong(hex.substring(0, 8), 16));
        le.putShort(at + 4, (short) Integer.parseInt(hex.substring(8, 12), 16));
        le.putShort(at + 6, (short) Integer.parseInt(hex.substring(12, 16), 16));
        for (int i = 0; i < 8; i++) {
            b.put(at + 8 + i, (byte) Integer.parseInt(hex.substring(16 + 2 * i, 18 + 2 * i), 16));
        }
    }

    private static String name(ByteBuffer b, int at) {
        byte[] raw = new byte[E_PARTITION_NAME_LENGTH];
        b.duplicate().position(at).get(raw);
        String s = new String(raw, StandardCharsets.UTF_16LE);
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }
}
