package org.devrt.vfs.internal.partition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.devrt.device.BlockDevice;
import org.devrt.vfs.CorruptFilesystemException;
import org.devrt.vfs.internal.cache.Buffers;

/**
 * The partitions of a disk: an MBR with primary, extended and logical partitions, a GPT behind its protective MBR
 * (the backup header when the primary is damaged), or no table, when the whole disk is one candidate volume.
 * Entries that cannot be right (past the end of the disk) are left out, each with a line in {@link #problems()}.
 */
public final class PartitionTable {
    /** The table's kind, named as lsblk's PTTYPE names it. */
    public enum Scheme {
        NONE(""), DOS("dos"), GPT("gpt");

        private final String lsblkName;

        Scheme(String lsblkName) {
            this.lsblkName = lsblkName;
        }

        public String lsblkName() {
            return lsblkName;
        }
    }

    /** An EBR chain longer than this is a loop in disguise. */
    static final int MAX_LOGICAL_PARTITIONS = 128;

    private final Scheme scheme;
    private final List<Partition> partitions;
    private final List<String> problems;

    private PartitionTable(Scheme scheme, List<Partition> partitions, List<String> problems) {
        this.scheme = scheme;
        this.partitions = List.copyOf(partitions);
        this.problems = List.copyOf(problems);
    }

    public Scheme scheme() {
        return scheme;
    }

    /** The partitions by number; for {@link Scheme#NONE} the whole disk as number 0. */
    public List<Partition> partitions() {
        return partitions;
    }

    /** Entries that were left out, and a damaged GPT header that was replaced by its backup. */
    public List<String> problems() {
        return problems;
    }

    /**
     * Reads the table of {@code device}.
     *
     * @throws CorruptFilesystemException if a protective MBR announces a GPT and neither GPT header is usable
     * @throws IOException if the device fails
     */
    public static PartitionTable read(BlockDevice device) throws IOException {
        long blocks = device.blockCount();
        if (blocks == 0) {
            return new PartitionTable(Scheme.NONE, List.of(), List.of("the disk has no blocks"));
        }
        ByteBuffer first = readBlocks(device, 0, 1);
        Mbr mbr = new Mbr(first);
        List<Partition> whole = List.of(new Partition(0, 0, blocks, "", "", false));
        if (!mbr.hasSignature() || !mbr.bootIndicatorsValid()) {
            return new PartitionTable(Scheme.NONE, whole, List.of());
        }
        boolean any = false;
        for (int slot = 0; slot < 4; slot++) {
            if (mbr.type(slot) == Mbr.TYPE_GPT_PROTECTIVE) {
                return readGpt(device);
            }
            any |= !mbr.isEmpty(slot);
        }
        if (!any || (looksLikeFatBootSector(first) && anyOutOfRange(mbr, blocks))) {
            return new PartitionTable(Scheme.NONE, whole, List.of());
        }
        List<String> problems = new ArrayList<>();
        return new PartitionTable(Scheme.DOS, withoutOverlaps(readMbr(device, mbr, problems), problems), problems);
    }

    /**
     * The partitions but those that overlap another (not counting an extended partition and its logical ones):
     * a table that cannot be right, of which neither is mounted. Mounted, the first took the blocks read-write and
     * the second was refused only because the first was there.
     */
    private static List<Partition> withoutOverlaps(List<Partition> partitions, List<String> problems) {
        List<Partition> kept = new ArrayList<>(partitions);
        for (Partition a : partitions) {
            for (Partition b : partitions) {
                if (a.number() < b.number() && !a.extended() && !b.extended()
                        && a.startLba() < b.startLba() + b.blockCount() && b.startLba() < a.startLba() + a.blockCount()) {
                    problems.add("partitions " + a.number() + " (blocks " + a.startLba() + "+" + a.blockCount()
                            + ") and " + b.number() + " (blocks " + b.startLba() + "+" + b.blockCount()
                            + ") overlap: the table cannot be right, and neither is used");
                    kept.remove(a);
                    kept.remove(b);
                }
            }
        }
        return kept;
    }

    private static List<Partition> readMbr(BlockDevice device, Mbr mbr, List<String> problems) throws IOException {
        long blocks = device.blockCount();
        List<Partition> out = new ArrayList<>();
        List<Partition> extended = new ArrayList<>();
        for (int slot = 0; slot < 4; slot++) {
            if (mbr.isEmpty(slot)) {
                continue;
            }
            Partition p = new Partition(slot + 1, mbr.start(slot), mbr.size(slot), Mbr.typeName(mbr.type(slot)), "",
                    Mbr.isExtended(mbr.type(slot)));
            if (inside(p, blocks, problems)) {
                out.add(p);
                if (p.extended()) {
                    extended.add(p);
                }
            }
        }
        int number = 5;
        for (Partition container : extended) {
            number = readLogical(device, container, number, out, problems);
        }
        return out;
    }

    /** Follows the EBR chain of one extended partition; bounded against loops and runaway chains. */
    private static int readLogical(BlockDevice device, Partition container, int number, List<Partition> out,
            List<String> problems) throws IOException {
        long base = container.startLba();
        long end = base + container.blockCount();
        Set<Long> seen = new HashSet<>();
        long ebr = base;
        while (ebr != 0) {
            if (seen.size() >= MAX_LOGICAL_PARTITIONS) {
                problems.add("extended partition " + container.number() + ": more than " + MAX_LOGICAL_PARTITIONS
                        + " logical partitions; the rest ignored");
                break;
            }
            if (!seen.add(ebr)) {
                problems.add("extended partition " + container.number() + ": the EBR chain loops back to block "
                        + ebr + "; stopped there");
                break;
            }
            if (ebr < base || ebr >= end) {
                problems.add("extended partition " + container.number() + ": an EBR at block " + ebr
                        + " is outside the extended partition; stopped there");
                break;
            }
            Mbr e = new Mbr(readBlocks(device, ebr, 1));
            if (!e.hasSignature()) {
                problems.add("extended partition " + container.number() + ": the EBR at block " + ebr
                        + " has no 55AA signature; stopped there");
                break;
            }
            if (!e.isEmpty(0)) {
                Partition p = new Partition(number, ebr + e.start(0), e.size(0), Mbr.typeName(e.type(0)), "", false);
                if (inside(p, device.blockCount(), problems)) {
                    out.add(p);
                }
                number++;
            }
            ebr = !e.isEmpty(1) && Mbr.isExtended(e.type(1)) ? base + e.start(1) : 0;
        }
        return number;
    }

    private static PartitionTable readGpt(BlockDevice device) throws IOException {
        long blocks = device.blockCount();
        List<String> problems = new ArrayList<>();
        String primaryProblem;
        try {
            return new PartitionTable(Scheme.GPT, withoutOverlaps(gptAt(device, 1, problems), problems), problems);
        } catch (IllegalArgumentException e) {
            primaryProblem = e.getMessage();
        }
        long backup = blocks - 1;
        try {
            List<Partition> parts = withoutOverlaps(gptAt(device, backup, problems), problems);
            problems.add(0, "GPT: the primary header is damaged (" + primaryProblem + "); using the backup at block "
                    + backup);
            return new PartitionTable(Scheme.GPT, parts, problems);
        } catch (IllegalArgumentException e) {
            throw new CorruptFilesystemException("GPT: the primary header is damaged (" + primaryProblem
                    + ") and so is the backup at block " + backup + " (" + e.getMessage() + ")");
        }
    }

    private static List<Partition> gptAt(BlockDevice device, long lba, List<String> problems) throws IOException {
        if (lba < 1 || lba >= device.blockCount()) {
            throw new IllegalArgumentException("block " + lba + " is outside the disk");
        }
        Gpt.Header h = Gpt.parseHeader(readBlocks(device, lba, 1), lba, device.blockCount());
        int blockSize = device.blockSize();
        int arrayBlocks = (h.arrayBytes() + blockSize - 1) / blockSize;
        if (h.partitionEntryLba() + arrayBlocks > device.blockCount()) {
            throw new IllegalArgumentException("the partition entry array runs past the end of the disk");
        }
        List<String> entryProblems = new ArrayList<>();
        List<Partition> parts = Gpt.parseEntries(h, readBlocks(device, h.partitionEntryLba(), arrayBlocks),
                entryProblems);
        problems.addAll(entryProblems);
        return parts;
    }

    private static boolean inside(Partition p, long blocks, List<String> problems) {
        if (p.startLba() == 0 || p.startLba() + p.blockCount() > blocks) {
            problems.add("partition " + p.number() + " (blocks " + p.startLba() + "+" + p.blockCount()
                    + ") is not inside the disk of " + blocks + " blocks; ignored");
            return false;
        }
        return true;
    }

    private static boolean anyOutOfRange(Mbr mbr, long blocks) {
        for (int slot = 0; slot < 4; slot++) {
            if (!mbr.isEmpty(slot) && (mbr.start(slot) == 0 || mbr.start(slot) + mbr.size(slot) > blocks)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a first sector is more likely a FAT boot sector than an MBR: an x86 jump, a power-of-two sector
     * size and cluster size, reserved sectors, FATs, and a valid media byte (as Linux's msdos partition code asks).
     */
    static boolean looksLikeFatBootSector(ByteBuffer sector) {
        ByteBuffer b = sector.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int jump = b.get(0) & 0xFF;
        int bytesPerSector = b.getShort(11) & 0xFFFF;
        int sectorsPerCluster = b.get(13) & 0xFF;
        int media = b.get(21) & 0xFF;
        return (jump == 0xEB || jump == 0xE9) && bytesPerSector >= 512 && bytesPerSector <= 4096
                && Integer.bitCount(bytesPerSector) == 1 && sectorsPerCluster > 0
                && Integer.bitCount(sectorsPerCluster) == 1 && (b.getShort(14) & 0xFFFF) > 0 && b.get(16) != 0
                && (media == 0xF0 || media >= 0xF8);
    }

    private static ByteBuffer readBlocks(BlockDevice device, long lba, int count) throws IOException {
        ByteBuffer buffer = Buffers.allocate(Math.multiplyExact(count, device.blockSize()));
        device.read(lba, buffer);
        return buffer.flip();
    }
}
