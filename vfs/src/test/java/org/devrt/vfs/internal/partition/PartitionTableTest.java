package org.devrt.vfs.internal.partition;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.List;

import org.devrt.vfs.CorruptFilesystemException;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.junit.Test;

public class PartitionTableTest {
    private static final int SECTORS = 8192;

    private static MemoryBlockDevice disk() {
        return new MemoryBlockDevice(Images.BS, SECTORS);
    }

    @Test(timeout = 5000)
    public void mbrPrimaryExtendedAndLogicalAreNumberedAsLinuxDoes() throws IOException {
        MemoryBlockDevice d = disk();
        Images.mbrEntry(d, 0, 0, 0x0c, 2048, 1024);
        Images.mbrEntry(d, 0, 1, 0x05, 4096, 4096); // extended: 4096..8191
        // first EBR at 4096: logical at +1, 500 blocks; link to the next EBR at extended + 1024
        Images.mbrEntry(d, 4096, 0, 0x06, 1, 500);
        Images.mbrEntry(d, 4096, 1, 0x05, 1024, 1000);
        Images.mbrEntry(d, 4096 + 1024, 0, 0x0e, 8, 992);
        PartitionTable t = PartitionTable.read(d);
        assertEquals(PartitionTable.Scheme.DOS, t.scheme());
        assertEquals(List.of(new Partition(1, 2048, 1024, "0x0c", "", false),
                new Partition(2, 4096, 4096, "0x05", "", true),
                new Partition(5, 4097, 500, "0x06", "", false),
                new Partition(6, 4096 + 1024 + 8, 992, "0x0e", "", false)), t.partitions());
        assertEquals(List.of(), t.problems());
    }

    @Test(timeout = 5000)
    public void anEbrChainThatLoopsEndsWithAProblem() throws IOException {
        MemoryBlockDevice d = disk();
        Images.mbrEntry(d, 0, 0, 0x0f, 4096, 4096);
        Images.mbrEntry(d, 4096, 0, 0x06, 1, 100);
        Images.mbrEntry(d, 4096, 1, 0x05, 0, 100); // points back at itself
        PartitionTable t = PartitionTable.read(d);
        assertEquals(2, t.partitions().size());
        assertTrue(t.problems().toString(), t.problems().get(0).contains("loops back to block 4096"));
    }

    @Test(timeout = 5000)
    public void aLongEbrChainIsCutAtTheLimit() throws IOException {
        MemoryBlockDevice d = disk();
        Images.mbrEntry(d, 0, 0, 0x05, 1, SECTORS - 1);
        for (int i = 0; i < 300; i++) {
            long ebr = 1 + i * 2L;
            Images.mbrEntry(d, ebr, 0, 0x06, 1, 1);
            Images.mbrEntry(d, ebr, 1, 0x05, (i + 1) * 2L, 2);
        }
        PartitionTable t = PartitionTable.read(d);
        assertEquals(1 + PartitionTable.MAX_LOGICAL_PARTITIONS, t.partitions().size());
        assertTrue(t.problems().toString(), t.problems().get(0).contains("more than 128 logical partitions"));
    }

    @Test(timeout = 5000)
    public void partitionsPastTheEndAreLeftOutAndSaid() throws IOException {
        MemoryBlockDevice d = disk();
        Images.mbrEntry(d, 0, 0, 0x0c, 2048, 1024);
        Images.mbrEntry(d, 0, 2, 0x0c, 4096, SECTORS);
        PartitionTable t = PartitionTable.read(d);
        assertEquals(1, t.partitions().size());
        assertEquals("partition 3 (blocks 4096+8192) is not inside the disk of 8192 blocks; ignored", t.problems().get(0));
    }

    /** The first was mounted read-write and the second refused only because the first was there. */
    @Test(timeout = 5000)
    public void partitionsThatOverlapAreNeitherUsedAndSaid() throws IOException {
        MemoryBlockDevice d = disk();
        Images.mbrEntry(d, 0, 0, 0x0c, 2048, 2048);
        Images.mbrEntry(d, 0, 1, 0x0c, 3072, 2048);
        Images.mbrEntry(d, 0, 2, 0x0c, 6144, 1024);
        PartitionTable t = PartitionTable.read(d);
        assertEquals(List.of(3), t.partitions().stream().map(Partition::number).toList());
        assertEquals(List.of("partitions 1 (blocks 2048+2048) and 2 (blocks 3072+2048) overlap: the table cannot be"
                + " right, and neither is used"), t.problems());

        MemoryBlockDevice g = disk();
        Images.gpt(g, 128, new long[][] {{2048, 2048}, {4000, 2048}});
        assertEquals(List.of(), PartitionTable.read(g).partitions());
    }

    @Test(timeout = 5000)
    public void aDiskWithoutSignatureOrWithAFatBootSectorIsOneWholeVolume() throws IOException {
        MemoryBlockDevice blank = disk();
        assertEquals(List.of(new Partition(0, 0, SECTORS, "", "", false)), PartitionTable.read(blank).partitions());
        MemoryBlockDevice fat = disk();
        byte[] s = fat.image();
        s[0] = (byte) 0xEB; s[1] = 0x3C; s[2] = (byte) 0x90;
        s[11] = 0; s[12] = 2; s[13] = 4; s[14] = 1; s[16] = 2; s[21] = (byte) 0xF8;
        s[510] = 0x55; s[511] = (byte) 0xAA;
        PartitionTable t = PartitionTable.read(fat);
        assertEquals(PartitionTable.Scheme.NONE, t.scheme());
        assertEquals(0, t.partitions().get(0).number());
        s[0x1BE] = 0x12; // a boot indicator Linux rejects: still not a table
        assertEquals(PartitionTable.Scheme.NONE, PartitionTable.read(fat).scheme());
    }

    @Test(timeout = 5000)
    public void gptIsReadBehindItsProtectiveMbr() throws IOException {
        MemoryBlockDevice d = disk();
        Images.gpt(d, 128, new long[][] {{2048, 2048}, {4096, 2048}});
        PartitionTable t = PartitionTable.read(d);
        assertEquals(PartitionTable.Scheme.GPT, t.scheme());
        assertEquals(List.of(new Partition(1, 2048, 2048, Gpt.BASIC_DATA, "part1", false),
                new Partition(2, 4096, 2048, Gpt.BASIC_DATA, "part2", false)), t.partitions());
        assertEquals(List.of(), t.problems());
    }

    @Test(timeout = 5000)
    public void aDamagedPrimaryGptHeaderFallsBackToTheBackup() throws IOException {
        MemoryBlockDevice d = disk();
        Images.gpt(d, 128, new long[][] {{2048, 2048}});
        d.image()[512 + Gpt.H_FIRST_USABLE_LBA] ^= 1; // header CRC no longer matches
        PartitionTable t = PartitionTable.read(d);
        assertEquals(1, t.partitions().size());
        assertTrue(t.problems().get(0), t.problems().get(0).startsWith(
                "GPT: the primary header is damaged (HeaderCRC32 mismatch (stored "));
        assertTrue(t.problems().get(0), t.problems().get(0).endsWith("using the backup at block 8191"));
    }

    @Test(timeout = 5000)
    public void aDamagedPrimaryEntryArrayFallsBackToTheBackup() throws IOException {
        MemoryBlockDevice d = disk();
        Images.gpt(d, 128, new long[][] {{2048, 2048}});
        d.image()[2 * 512 + Gpt.E_STARTING_LBA] ^= 1;
        PartitionTable t = PartitionTable.read(d);
        assertEquals(2048, t.partitions().get(0).startLba());
        assertTrue(t.problems().get(0), t.problems().get(0).contains("PartitionEntryArrayCRC32 mismatch"));
    }

    @Test(timeout = 5000)
    public void bothGptHeadersDamagedIsACorruptDiskNamingBoth() {
        MemoryBlockDevice d = disk();
        Images.gpt(d, 128, new long[][] {{2048, 2048}});
        d.image()[512] = 'X';
        d.image()[(SECTORS - 1) * 512 + Gpt.H_HEADER_SIZE] = 8;
        CorruptFilesystemException e = assertThrows(CorruptFilesystemException.class, () -> PartitionTable.read(d));
        assertEquals("GPT: the primary header is damaged (no \"EFI PART\" signature) and so is the backup at block 8191"
                + " (HeaderSize (8) must be 92..512)", e.getMessage());
    }

    @Test(timeout = 5000)
    public void gptEntriesOutsideTheUsableBlocksAreLeftOut() throws IOException {
        MemoryBlockDevice d = disk();
        Images.gpt(d, 128, new long[][] {{2048, 2048}, {8100, 500}});
        PartitionTable t = PartitionTable.read(d);
        assertEquals(1, t.partitions().size());
        assertTrue(t.problems().get(0), t.problems().get(0).startsWith("GPT entry 2: StartingLBA..EndingLBA (8100..8599)"));
    }

    @Test(timeout = 5000)
    public void aHugeEntryCountIsRefusedNotAllocated() throws IOException {
        MemoryBlockDevice d = disk();
        Images.gpt(d, 128, new long[][] {{2048, 2048}});
        java.nio.ByteBuffer h = Images.block(d, 1);
        h.putInt(Gpt.H_NUMBER_OF_PARTITION_ENTRIES, Integer.MAX_VALUE);
        h.putInt(Gpt.H_HEADER_CRC32, 0);
        h.putInt(Gpt.H_HEADER_CRC32, Gpt.crc32(h, 0, Gpt.HEADER_SIZE, -1));
        PartitionTable t = PartitionTable.read(d);
        assertEquals(1, t.partitions().size());
        assertTrue(t.problems().get(0), t.problems().get(0).contains("NumberOfPartitionEntries (2147483647)"));
    }

    @Test
    public void guidsUseTheMixedEndianTextForm() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        Gpt.putGuid(b, 0, Gpt.EFI_SYSTEM);
        assertEquals(0x28, b.get(0) & 0xFF); // C12A7328 stored little-endian
        assertEquals(0xBA, b.get(8) & 0xFF); // BA4B stored as written
        assertEquals(Gpt.EFI_SYSTEM, Gpt.guid(b, 0));
    }
}
