package org.devrt.vfs.internal.partition;

import java.util.Objects;

/**
 * A region of a disk found in its partition table, or the whole disk when it has none.
 *
 * @param number Linux's number: 1-4 for MBR primary slots, 5 and up for logical partitions in the order of
 *        their chain, the entry's index + 1 for GPT; 0 for a whole disk without a table
 * @param startLba first block, in the device's blocks
 * @param blockCount length in blocks
 * @param type {@code 0x0c} style for MBR, the type GUID for GPT, "" for a whole disk
 * @param name the GPT partition name, "" otherwise
 * @param extended an MBR extended partition: a container of logical partitions, never a volume
 */
public record Partition(int number, long startLba, long blockCount, String type, String name, boolean extended) {
    public Partition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (number < 0 || startLba < 0 || blockCount <= 0) {
            throw new IllegalArgumentException("partition " + number + " at " + startLba + "+" + blockCount
                    + ": number and start must not be negative, the length must be positive");
        }
    }

    /**
     * Whether the table says a FAT filesystem lives here: MBR types 0x01, 0x04, 0x06, 0x0b, 0x0c and 0x0e, or GPT's
     * Microsoft basic data (which exFAT and NTFS use too).
     */
    public boolean declaresFat() {
        return type.equals(Gpt.BASIC_DATA) || switch (type) { // as Mbr.typeName and Gpt.guid write them
            case "0x01", "0x04", "0x06", "0x0b", "0x0c", "0x0e" -> true;
            default -> false;
        };
    }

    /** The suffix Linux gives this partition's device name: "" for a whole disk, else its number. */
    public String suffix() {
        return number == 0 ? "" : Integer.toString(number);
    }
}
