package org.devrt.vfs.internal.fat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

import org.devrt.vfs.CorruptFilesystemException;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.junit.Test;

public class BootSectorTest {
    private static ByteBuffer sector(FatType type) throws Exception {
        MemoryBlockDevice d = Fixtures.formatted(type == FatType.FAT32 ? 34L << 20 : 8L << 20, type, 1);
        return ByteBuffer.wrap(d.image(), 0, 512).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String problem(FatType type, Consumer<ByteBuffer> damage) throws Exception {
        ByteBuffer b = sector(type);
        damage.accept(b);
        long size = type == FatType.FAT32 ? 34L << 20 : 8L << 20;
        return assertThrows(CorruptFilesystemException.class, () -> BootSector.parse(b, size)).getMessage();
    }

    @Test
    public void everyFieldOfAFreshVolumeReadsBack() throws Exception {
        BootSector bs = BootSector.parse(sector(FatType.FAT16), 8L << 20);
        assertEquals(FatType.FAT16, bs.type);
        assertEquals(512, bs.bytesPerSector);
        assertEquals(1, bs.sectorsPerCluster);
        assertEquals(2, bs.numFats);
        assertEquals(0xF8, bs.media);
        assertEquals(16384, bs.totalSectors);
        assertEquals("TEST", bs.label);
        assertEquals(0x1234ABCDL, bs.volumeId);
        assertEquals(bs.rootDirOffset() + 512 * 32, bs.dataOffset());
        BootSector b32 = BootSector.parse(sector(FatType.FAT32), 34L << 20);
        assertEquals(2, b32.rootCluster);
        assertEquals(1, b32.fsInfoSector);
        assertTrue(b32.mirrored);
        assertEquals(65, b32.stateOffset());
    }

    @Test
    public void eachBadFieldIsNamed() throws Exception {
        assertEquals("BPB_BytsPerSec (1000) must be 512, 1024, 2048 or 4096",
                problem(FatType.FAT16, b -> b.putShort(BootSector.BPB_BYTS_PER_SEC, (short) 1000)));
        assertEquals("BPB_SecPerClus (3) must be a power of two from 1 to 128",
                problem(FatType.FAT16, b -> b.put(BootSector.BPB_SEC_PER_CLUS, (byte) 3)));
        assertEquals("BPB_RsvdSecCnt (0) must not be 0",
                problem(FatType.FAT16, b -> b.putShort(BootSector.BPB_RSVD_SEC_CNT, (short) 0)));
        assertEquals("BPB_NumFATs (0) must be 1 to 4", problem(FatType.FAT16, b -> b.put(BootSector.BPB_NUM_FATS, (byte) 0)));
        assertEquals("BPB_Media (18) must be 0xF0 or 0xF8-0xFF",
                problem(FatType.FAT16, b -> b.put(BootSector.BPB_MEDIA, (byte) 0x12)));
        assertEquals("BPB_TotSec16 (40000) is more than the 16384 sectors of the partition",
                problem(FatType.FAT16, b -> b.putShort(BootSector.BPB_TOT_SEC16, (short) 40000)));
        assertTrue(problem(FatType.FAT16, b -> b.putShort(BootSector.BPB_FAT_SZ16, (short) 10))
                .startsWith("BPB_FATSz16 (10) is too small for "));
        assertEquals("BPB_RootEntCnt (0) must not be 0 on FAT16",
                problem(FatType.FAT16, b -> b.putShort(BootSector.BPB_ROOT_ENT_CNT, (short) 0)));
        assertTrue(problem(FatType.FAT32, b -> b.putInt(BootSector.BPB_ROOT_CLUS, 9_999_999))
                .startsWith("BPB_RootClus (9999999) must be a cluster from 2 to "));
        assertTrue(problem(FatType.FAT32, b -> b.putShort(BootSector.BPB_ROOT_ENT_CNT, (short) 512))
                .startsWith("BPB_RootEntCnt (512) must be 0 on FAT32"));
        assertEquals("BPB_FSVer (256) must be 0.0 (a newer FAT32 revision is not supported)",
                problem(FatType.FAT32, b -> b.putShort(BootSector.BPB_FS_VER, (short) 0x100)));
        assertTrue(problem(FatType.FAT16, b -> b.putShort(BootSector.BPB_FAT_SZ16, (short) 9000))
                .startsWith("BPB_FATSz16 (9000) leaves no data area"));
    }

    /** Cluster numbers from 0x0FFFFFF7 on are marks: a volume of more clusters is refused, as Linux refuses it. */
    @Test
    public void aFat32VolumeOfMoreClustersThanFat32CanNumberIsRefused() throws Exception {
        ByteBuffer b = sector(FatType.FAT32);
        b.putInt(BootSector.BPB_TOT_SEC32, 0x7000_0000); // 1.75 Gi sectors of one sector per cluster
        b.putInt(BootSector.BPB_FAT_SZ32, 0x0200_0000); // FATs large enough for them
        String problem = assertThrows(CorruptFilesystemException.class,
                () -> BootSector.parse(b, 0x7000_0000L * 512)).getMessage();
        assertTrue(problem, problem.startsWith("BPB_TotSec32 (1879048192) makes "));
        assertTrue(problem, problem.endsWith(" clusters; FAT32 addresses at most 268435445"));
    }

    @Test
    public void theTypeFollowsTheClusterCountNotTheLabelInTheSector() throws Exception {
        ByteBuffer b = sector(FatType.FAT16);
        b.put(BootSector.BS_FIL_SYS_TYPE, "FAT12   ".getBytes());
        assertEquals(FatType.FAT16, BootSector.parse(b, 8L << 20).type);
        assertEquals(FatType.FAT12, FatType.ofClusterCount(4084));
        assertEquals(FatType.FAT16, FatType.ofClusterCount(4085));
        assertEquals(FatType.FAT16, FatType.ofClusterCount(65524));
        assertEquals(FatType.FAT32, FatType.ofClusterCount(65525));
    }

    /**
     * mkfs.fat -F 32 on a small partition makes a FAT32 BPB over fewer clusters than FAT32 needs; Linux mounts it as
     * FAT32 (the BPB's word), and it was refused: "BPB_FATSz16 (0) must not be 0: 20132 clusters make a FAT16 volume".
     */
    @Test
    public void aFat32BpbOnFewerClustersThanFat32NeedsIsFat32AsLinuxTakesIt() throws Exception {
        MemoryBlockDevice d = Fixtures.formatted(34L << 20, FatType.FAT32, 1);
        ByteBuffer b = ByteBuffer.wrap(d.image()).order(ByteOrder.LITTLE_ENDIAN);
        BootSector full = BootSector.parse(b.slice(0, 512).order(ByteOrder.LITTLE_ENDIAN), 34L << 20);
        b.putInt(BootSector.BPB_TOT_SEC32, (int) (full.totalSectors - 20_000)); // about 49,000 clusters
        BootSector small = BootSector.parse(b.slice(0, 512).order(ByteOrder.LITTLE_ENDIAN), 34L << 20);
        assertEquals(FatType.FAT32, small.type);
        assertTrue(small.clusterCount + " clusters", small.clusterCount < 65525);
        FatFileSystem fs = Fixtures.mount(d);
        Fixtures.write(fs, "/on a small FAT32", new byte[] {1, 2, 3});
        assertEquals(3, Fixtures.read(fs, "/on a small FAT32").length);
    }

    @Test
    public void otherFilesystemsAndBlankSectorsDoNotClaimFat() throws Exception {
        assertTrue(BootSector.claimsFat(sector(FatType.FAT16)));
        assertFalse(BootSector.claimsFat(ByteBuffer.allocate(512)));
        ByteBuffer ntfs = sector(FatType.FAT16);
        ntfs.put(BootSector.BS_OEM_NAME, "NTFS    ".getBytes());
        assertFalse(BootSector.claimsFat(ntfs));
    }
}
