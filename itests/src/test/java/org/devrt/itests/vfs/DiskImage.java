package org.devrt.itests.vfs;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A raw disk image on the host, made and read by Linux's tools ({@link HostTools}): an MBR written by sfdisk,
 * partitions formatted by mkfs.fat and filled by mcopy, read back by mcopy and judged by fsck.fat. Also the byte
 * edits that damage a FAT on purpose. Sectors are 512 bytes.
 */
final class DiskImage {
    static final int SECTOR = 512;

    /**
     * A partition of the MBR.
     *
     * @param number Linux's number (1 for the first slot)
     * @param start first sector
     * @param sectors length
     */
    record Part(int number, long start, long sectors) {
        long offset() {
            return start * SECTOR;
        }
    }

    final Path file;

    private DiskImage(Path file) {
        this.file = file;
    }

    /** An image already on disk (made before the framework booted). */
    static DiskImage at(Path file) {
        return new DiskImage(file);
    }

    /** A new sparse image of {@code bytes} zeros. */
    static DiskImage blank(Path file, long bytes) throws IOException {
        Files.createDirectories(file.getParent());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(0);
            f.setLength(bytes);
        }
        return new DiskImage(file);
    }

    /**
     * A new sparse image with an MBR made by sfdisk: one partition per {start, sectors, MBR type} (types as sfdisk
     * spells them: {@code e} FAT16 LBA, {@code c} FAT32 LBA).
     */
    static DiskImage partitioned(Path file, long bytes, Object[]... partitions) throws Exception {
        DiskImage image = blank(file, bytes);
        StringBuilder script = new StringBuilder("label: dos\n");
        for (Object[] p : partitions) {
            script.append("start=").append(p[0]).append(", size=").append(p[1]).append(", type=").append(p[2])
                    .append('\n');
        }
        HostTools.run(script.toString().getBytes(StandardCharsets.US_ASCII), "sfdisk", "--no-reread", "--no-tell-kernel",
                file.toString()).ok();
        return image;
    }

    /** The partitions sfdisk finds in the image, by number. */
    List<Part> partitions() throws Exception {
        String dump = HostTools.run("sfdisk", "--dump", file.toString()).ok().text();
        List<Part> parts = new ArrayList<>();
        for (String line : dump.lines().toList()) {
            var m = java.util.regex.Pattern.compile(".*?(\\d+) : start=\\s*(\\d+), size=\\s*(\\d+),.*").matcher(line);
            if (m.matches()) {
                parts.add(new Part(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
            }
        }
        return parts;
    }

    Part part(int number) throws Exception {
        return partitions().stream().filter(p -> p.number() == number).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no partition " + number));
    }

    /** The whole image as one region, for a disk without a partition table. */
    Part whole() throws IOException {
        return new Part(0, 0, Files.size(file) / SECTOR);
    }

    /** mkfs.fat on the partition: FAT {@code bits}, with a label and volume id; FAT32 with one sector per cluster. */
    void mkfs(Part p, int bits, String label, String volumeId) throws Exception {
        List<String> args = new ArrayList<>(List.of("-F", Integer.toString(bits), "-n", label, "-i", volumeId));
        if (bits == 32) {
            args.addAll(List.of("-s", "1"));
        }
        args.addAll(List.of("--offset", Long.toString(p.start()), file.toString(), Long.toString(p.sectors() / 2)));
        HostTools.run("mkfs.fat", args.toArray(String[]::new)).ok();
    }

    /** mcopy of everything in {@code hostDir} (recursively) into the partition's root. */
    void copyIn(Part p, Path hostDir) throws Exception {
        List<String> args = new ArrayList<>(List.of("-s", "-Q", "-i", drive(p)));
        try (Stream<Path> top = Files.list(hostDir)) {
            top.sorted().forEach(f -> args.add(f.toString()));
        }
        args.add("::/");
        HostTools.run("mcopy", args.toArray(String[]::new)).ok();
    }

    /** The bytes of a file of the partition, as mcopy reads them. */
    byte[] read(Part p, String path) throws Exception {
        Path out = Files.createTempFile("devrt-mcopy", ".bin");
        try {
            HostTools.run("mcopy", "-n", "-i", drive(p), "::" + path, out.toString()).ok();
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The text of a file of the partition, as mtype prints it. */
    String type(Part p, String path) throws Exception {
        return HostTools.run("mtype", "-i", drive(p), "::" + path).ok().text();
    }

    /** Every file and directory of the partition, as mdir lists them ({@code /a/}, {@code /a/b.txt}). */
    List<String> tree(Part p) throws Exception {
        return HostTools.run("mdir", "-/", "-b", "-i", drive(p), "::/").ok().text().lines()
                .filter(l -> l.startsWith("::")).map(l -> l.substring(2)).toList();
    }

    /** fsck.fat -n (check, change nothing) on a copy of the partition: fsck.fat has no offset option. */
    HostTools.Output fsck(Part p) throws Exception {
        Path copy = Files.createTempFile("devrt-fsck-" + file.getFileName() + "-" + p.number() + "-", ".img");
        try {
            try (FileChannel in = FileChannel.open(file); FileChannel out = FileChannel.open(copy,
                    StandardOpenOption.WRITE)) {
                long length = p.sectors() * SECTOR;
                for (long done = 0; done < length; ) {
                    done += in.transferTo(p.offset() + done, length - done, out.position(done));
                }
            }
            return HostTools.run("fsck.fat", "-n", copy.toString());
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    // ---- damage on purpose --------------------------------------------------------------------------------

    /** The BPB fields of a FAT volume that the edits need. */
    record Bpb(int bytesPerSector, int sectorsPerCluster, int reserved, int fats, int rootEntries, long fatSectors,
            int bits, long rootCluster) {
        long fatOffset(int copy) {
            return ((long) reserved + copy * fatSectors) * bytesPerSector;
        }

        long rootDirOffset() {
            return fatOffset(fats);
        }
    }

    Bpb bpb(Part p) throws IOException {
        ByteBuffer b = readAt(p.offset(), SECTOR);
        int bytesPerSector = Short.toUnsignedInt(b.getShort(11));
        int perCluster = Byte.toUnsignedInt(b.get(13));
        int reserved = Short.toUnsignedInt(b.getShort(14));
        int fats = Byte.toUnsignedInt(b.get(16));
        int rootEntries = Short.toUnsignedInt(b.getShort(17));
        int fat16Size = Short.toUnsignedInt(b.getShort(22));
        long fatSectors = fat16Size != 0 ? fat16Size : Integer.toUnsignedLong(b.getInt(36));
        int total16 = Short.toUnsignedInt(b.getShort(19));
        long total = total16 != 0 ? total16 : Integer.toUnsignedLong(b.getInt(32));
        long rootSectors = (rootEntries * 32L + bytesPerSector - 1) / bytesPerSector;
        long clusters = (total - reserved - fats * fatSectors - rootSectors) / perCluster;
        int bits = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32; // as the FAT specification decides it
        return new Bpb(bytesPerSector, perCluster, reserved, fats, rootEntries, fatSectors, bits,
                bits == 32 ? Integer.toUnsignedLong(b.getInt(44)) : 0);
    }

    long fatEntry(Part p, long cluster) throws IOException {
        Bpb bpb = bpb(p);
        checkNotFat12(bpb);
        ByteBuffer e = readAt(p.offset() + bpb.fatOffset(0) + cluster * bpb.bits() / 8, bpb.bits() / 8);
        return bpb.bits() == 16 ? Short.toUnsignedInt(e.getShort(0)) : e.getInt(0) & 0x0FFFFFFFL;
    }

    /** Sets a FAT entry in every copy of the FAT, as a consistent (but wrong) FAT. */
    void setFatEntry(Part p, long cluster, long value) throws IOException {
        Bpb bpb = bpb(p);
        checkNotFat12(bpb);
        ByteBuffer e = ByteBuffer.allocate(bpb.bits() / 8).order(ByteOrder.LITTLE_ENDIAN);
        if (bpb.bits() == 16) {
            e.putShort(0, (short) value);
        } else {
            e.putInt(0, (int) value);
        }
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int copy = 0; copy < bpb.fats(); copy++) {
                f.write(e.duplicate(), p.offset() + bpb.fatOffset(copy) + cluster * bpb.bits() / 8);
            }
        }
    }

    /** The first cluster of a file in a FAT16 root directory, by its 8.3 name on the medium ("LOOPED  BIN"). */
    long firstClusterInFat16Root(Part p, String name11) throws IOException {
        Bpb bpb = bpb(p);
        ByteBuffer root = readAt(p.offset() + bpb.rootDirOffset(), bpb.rootEntries() * 32);
        for (int at = 0; at < root.capacity(); at += 32) {
            byte[] name = new byte[11];
            root.get(at, name);
            if (new String(name, StandardCharsets.US_ASCII).equals(name11)) {
                return Short.toUnsignedInt(root.getShort(at + 26));
            }
        }
        throw new AssertionError("no entry " + name11 + " in the root directory of partition " + p.number() + " of "
                + file);
    }

    private static void checkNotFat12(Bpb bpb) {
        if (bpb.bits() == 12) {
            throw new IllegalArgumentException("FAT12 entries (a byte and a half) are not edited here");
        }
    }

    private ByteBuffer readAt(long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel f = FileChannel.open(file)) {
            while (b.hasRemaining()) {
                assertEquals("bytes read at " + offset + " of " + file, true, f.read(b, offset + b.position()) > 0);
            }
        }
        return b.flip();
    }

    private String drive(Part p) {
        return file + "@@" + p.offset();
    }
}
