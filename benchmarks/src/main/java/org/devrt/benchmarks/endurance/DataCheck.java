package org.devrt.benchmarks.endurance;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The end of the mixed load, with the disk removed cleanly and closed: its FAT partition copied out of the image,
 * {@code fsck.fat -n} on it, every file copied out with mtools, and every synced file's length and CRC-32C checked
 * against what the writer wrote. Names are compared without regard to case, as FAT does.
 */
final class DataCheck {
    record Result(String fsck, int fsckStatus, long expectedFiles, long expectedBytes, long verifiedFiles,
            long verifiedBytes, List<String> failures) {
    }

    private DataCheck() {
    }

    static Result check(Path image, Path work, List<SyncedFiles.Entry> expected) throws Exception {
        Path partition = work.resolve("partition.img");
        FatImage.extractPartition(image, partition);
        FatImage.Outcome fsck = FatImage.fsck(partition);
        Path out = work.resolve("files");
        FatImage.copyOut(partition, out);
        Map<String, Path> copied = new HashMap<>();
        try (Stream<Path> files = Files.walk(out)) {
            files.filter(Files::isRegularFile).forEach(f -> copied.put(key(out.relativize(f).toString()), f));
        }
        List<String> failures = new ArrayList<>();
        long expectedBytes = 0;
        long verifiedFiles = 0;
        long verifiedBytes = 0;
        ByteBuffer buffer = VolumeClient.pageAligned(VfsWriter.MAX_FILE + 1);
        for (SyncedFiles.Entry e : expected) {
            expectedBytes += e.length;
            Path f = copied.get(key(e.path));
            if (f == null) {
                failures.add(e.path + ": missing");
                continue;
            }
            buffer.clear();
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                while (buffer.hasRemaining() && ch.read(buffer) >= 0) {
                    // read to the end, or one byte past the expected length
                }
            }
            buffer.flip();
            int crc = VolumeClient.crc(buffer);
            if (buffer.remaining() == e.length && crc == e.crc) {
                verifiedFiles++;
                verifiedBytes += e.length;
            } else {
                failures.add(e.path + ": " + buffer.remaining() + " bytes, CRC " + crc + "; synced " + e.length
                        + " bytes, CRC " + e.crc);
            }
        }
        return new Result(fsck.output(), fsck.status(), expected.size(), expectedBytes, verifiedFiles, verifiedBytes,
                failures);
    }

    private static String key(String path) {
        return path.replace('\\', '/').toLowerCase(Locale.ROOT);
    }
}
