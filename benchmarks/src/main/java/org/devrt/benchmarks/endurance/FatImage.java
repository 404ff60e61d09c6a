package org.devrt.benchmarks.endurance;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The disk image, made and checked with the host's tools rather than devrt's, so that devrt's FAT code is judged
 * by an independent one: an MBR with one FAT32 partition (sfdisk, mkfs.fat from dosfstools), and at the end the
 * partition copied out, {@code fsck.fat -n} on it and every file copied out with mtools.
 */
final class FatImage {
    private static final int SECTOR = 512;
    private static final long FIRST_SECTOR = 2048;

    private FatImage() {
    }

    /** A sparse image of {@code bytes} with an MBR whose one partition (type 0x0c, from sector 2048) is FAT32. */
    static void create(Path image, long bytes) throws IOException, InterruptedException {
        Files.deleteIfExists(image);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(bytes);
        }
        run(List.of("sfdisk", "-q", image.toString()), "label: dos\nstart=" + FIRST_SECTOR + ", type=c\n");
        long kib = (bytes - FIRST_SECTOR * SECTOR) / 1024;
        run(List.of("mkfs.fat", "-F", "32", "-n", "ENDURANCE", "--offset", Long.toString(FIRST_SECTOR),
                image.toString(), Long.toString(kib)), "");
    }

    /**
     * Copies the first partition's bytes, as the image's MBR gives its start and length, into {@code into}; the
     * whole image when it has no MBR signature (a volume without a partition table).
     */
    static void extractPartition(Path image, Path into) throws IOException {
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(into, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer mbr = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
            in.read(mbr, 0);
            long start = 0;
            long length = in.size();
            if ((mbr.getShort(510) & 0xFFFF) == 0xAA55 && mbr.get(0x1C2) != 0) {
                start = (mbr.getInt(0x1C6) & 0xFFFFFFFFL) * SECTOR;
                length = (mbr.getInt(0x1CA) & 0xFFFFFFFFL) * SECTOR;
            }
            long done = 0;
            while (done < length) {
                done += in.transferTo(start + done, length - done, out);
            }
        }
    }

    /** {@code fsck.fat -n} (check only, change nothing): its exit status and output. */
    static Outcome fsck(Path partition) throws IOException, InterruptedException {
        return run(List.of("fsck.fat", "-n", partition.toString()), "");
    }

    /** Copies every file and directory of the volume into {@code folder} with mtools' {@code mcopy -s}. */
    static Outcome copyOut(Path partition, Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        return run(List.of("mcopy", "-s", "-n", "-i", partition.toString(), "::/*", folder + "/"), "");
    }

    record Outcome(int status, String output) {
    }

    private static Outcome run(List<String> command, String input) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = pb.start();
        p.getOutputStream().write(input.getBytes(UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 5 minutes");
        }
        Outcome outcome = new Outcome(p.exitValue(), output.strip());
        if (outcome.status() != 0 && !command.get(0).equals("fsck.fat")) {
            throw new IOException(String.join(" ", command) + " failed with status " + outcome.status() + ": "
                    + outcome.output());
        }
        return outcome;
    }
}
