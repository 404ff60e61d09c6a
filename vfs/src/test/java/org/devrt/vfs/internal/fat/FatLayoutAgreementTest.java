package org.devrt.vfs.internal.fat;

import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.devrt.vfs.internal.fakes.HostTools;
import org.junit.Test;

/** devrt's mkfs chooses the same geometry as dosfstools' mkfs.fat for the same size and options. */
public class FatLayoutAgreementTest {
    private static final long KIB = 1024;

    @Test(timeout = 60000)
    public void theSameGeometryAsMkfsFat() throws Exception {
        HostTools.require("mkfs.fat");
        // {KiB, -F (0: auto), -s (0: auto)}; floppy sizes (360, 720, 1200, 1440, 2880 KiB) are left out: mkfs.fat
        // gives image files floppy geometry there, devrt formats disks
        long[][] cases = {{1000, 0, 0}, {3000, 0, 0}, {4096, 0, 0}, {8200, 0, 0}, {16 * KIB, 0, 0}, {33 * KIB, 0, 0},
            {100 * KIB, 0, 0}, {255 * KIB, 0, 0}, {300 * KIB, 0, 0}, {511 * KIB, 0, 0}, {512 * KIB, 0, 0},
            {700 * KIB, 0, 0}, {2 * KIB * KIB, 0, 0}, {9 * KIB * KIB, 0, 0}, {20 * KIB, 12, 0}, {20 * KIB, 16, 0},
            {64 * KIB, 32, 1}, {300 * KIB, 32, 8}, {64 * KIB, 16, 2}, {64 * KIB, 16, 8}, {8 * KIB, 12, 4},
            {40 * KIB, 32, 0}, {128 * KIB, 16, 0}, {2000, 12, 1}};
        List<String> mismatches = new ArrayList<>();
        for (long[] c : cases) {
            Path img = Files.createTempFile("layout", ".img");
            Files.delete(img);
            try {
                List<String> cmd = new ArrayList<>(List.of("mkfs.fat", "-C"));
                if (c[1] != 0) {
                    cmd.addAll(List.of("-F", Long.toString(c[1])));
                }
                if (c[2] != 0) {
                    cmd.addAll(List.of("-s", Long.toString(c[2])));
                }
                cmd.addAll(List.of(img.toString(), Long.toString(c[0])));
                HostTools.run(cmd.toArray(String[]::new)).ok();
                String theirs = describe(bootSector(img));
                FatLayout l = FatLayout.choose(c[0] * KIB, 512, c[1] == 0 ? null
                        : FatType.valueOf("FAT" + c[1]), (int) c[2]);
                String ours = String.format("%s spc=%d rsvd=%d fats=%d root=%d total=%d fat=%d chs=%d/%d", l.type(),
                        l.sectorsPerCluster(), l.reservedSectors(), l.numFats(), l.rootEntries(), l.totalSectors(),
                        l.fatSectors(), l.heads(), l.sectorsPerTrack());
                if (!theirs.equals(ours)) {
                    mismatches.add(c[0] + " KiB -F " + c[1] + " -s " + c[2] + ": mkfs.fat " + theirs + ", devrt " + ours);
                }
            } finally {
                Files.deleteIfExists(img);
            }
        }
        assertEquals(String.join("\n", mismatches), 0, mismatches.size());
    }

    private static ByteBuffer bootSector(Path img) throws Exception {
        try (FileChannel ch = FileChannel.open(img)) {
            ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 0);
            return b;
        }
    }

    private static String describe(ByteBuffer b) throws Exception {
        BootSector bs = BootSector.parse(b, Long.MAX_VALUE / 2);
        return String.format("%s spc=%d rsvd=%d fats=%d root=%d total=%d fat=%d chs=%d/%d", bs.type,
                bs.sectorsPerCluster, bs.reservedSectors, bs.numFats, bs.rootEntries, bs.totalSectors, bs.fatSectors,
                b.getShort(BootSector.BPB_NUM_HEADS), b.getShort(BootSector.BPB_SEC_PER_TRK));
    }
}
