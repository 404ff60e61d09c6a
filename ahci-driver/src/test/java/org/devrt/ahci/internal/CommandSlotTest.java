package org.devrt.ahci.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.ReentrantLock;

import org.devrt.hw.DmaRegion;
import org.junit.Test;

/** A slot's command over its scattered buffer segments: one PRD per segment used, data copied in and out. */
public class CommandSlotTest {
    static final int SEGMENT = 1024;

    /** A region of heap memory that claims a bus address. */
    record FakeRegion(long physicalAddress, ByteBuffer view) implements DmaRegion {
        FakeRegion(long address, int size) {
            this(address, ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN));
        }

        @Override
        public int size() {
            return view.capacity();
        }

        @Override
        public ByteBuffer buffer() {
            return view.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void close() {
        }
    }

    private final ByteBuffer list = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer tables = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
    private final FakeRegion[] segments = {new FakeRegion(0x10_0000, SEGMENT), new FakeRegion(0x30_0000, SEGMENT),
            new FakeRegion(0x20_0000, SEGMENT)};
    private final CommandSlot slot = new CommandSlot(2, list, tables, 256, 0x5100,
            new long[] {0x10_0000, 0x30_0000, 0x20_0000},
            new ByteBuffer[] {segments[0].buffer(), segments[1].buffer(), segments[2].buffer()}, SEGMENT,
            new ReentrantLock().newCondition());

    @Test
    public void transferSpanningSegmentsGetsOnePrdPerSegmentInOrder() {
        slot.build(Ahci.ATA_CMD_WRITE_DMA_EXT, Ahci.ATA_DEVICE_LBA, 77, 5, 2560, true);
        assertEquals("DW0: CFL 5, W, PRDTL 3", 0x0003_0045, list.getInt(2 * 32));
        assertEquals("CTBA", 0x5100, list.getInt(2 * 32 + 8));
        int prdt = 256 + Ahci.CT_PRDT;
        assertEquals("PRD 0 address", 0x10_0000, tables.getInt(prdt));
        assertEquals("PRD 0 DBC", SEGMENT - 1, tables.getInt(prdt + 12));
        assertEquals("PRD 1 address: the second segment, not the next bytes of the first", 0x30_0000,
                tables.getInt(prdt + 16));
        assertEquals("PRD 2 address", 0x20_0000, tables.getInt(prdt + 32));
        assertEquals("PRD 2 DBC: the 512 bytes left", 511, tables.getInt(prdt + 44));
        assertEquals("FIS command", Ahci.ATA_CMD_WRITE_DMA_EXT, tables.get(256 + 2) & 0xFF);
        assertEquals("FIS LBA 7:0", 77, tables.get(256 + 4));
        assertEquals("FIS count", 5, tables.get(256 + 12));
        assertEquals("WRITE DMA EXT lba 77 count 5 (slot 2)", slot.describe());
    }

    @Test
    public void dataCopiedInLandsAcrossSegmentsAndComesBackOut() {
        ByteBuffer src = ByteBuffer.allocate(100 + 2048);
        for (int i = 0; i < src.capacity(); i++) {
            src.put(i, (byte) (i * 7));
        }
        slot.copyIn(src, 100, 2048);
        assertEquals("first byte of segment 1", (byte) ((100 + SEGMENT) * 7), segments[1].view().get(0));
        ByteBuffer dst = ByteBuffer.allocate(2048 + 8);
        slot.copyOut(dst, 8, 2048);
        byte[] want = new byte[2048];
        src.get(100, want);
        byte[] got = new byte[2048];
        dst.get(8, got);
        assertArrayEquals(want, got);
        assertEquals("copies are absolute: positions untouched", 0, src.position() + dst.position());
    }

    @Test
    public void fpdmaQueuedPutsTheCountInFeaturesAndTheTagInCountBits7To3() {
        slot.build(Ahci.ATA_CMD_READ_FPDMA_QUEUED, Ahci.ATA_DEVICE_LBA, 0x1234_5678_9AL, 0x0102, 1024, false);
        int fis = 256;
        assertEquals("FIS command", Ahci.ATA_CMD_READ_FPDMA_QUEUED, tables.get(fis + 2) & 0xFF);
        assertEquals("FEATURES 7:0: the sector count", 0x02, tables.get(fis + 3));
        assertEquals("FEATURES 15:8: the sector count", 0x01, tables.get(fis + 11));
        assertEquals("COUNT 7:0: tag 2 in bits 7:3", 2 << 3, tables.get(fis + 12));
        assertEquals("COUNT 15:8", 0, tables.get(fis + 13));
        assertEquals("LBA 7:0", (byte) 0x9A, tables.get(fis + 4));
        assertEquals("LBA 39:32", 0x12, tables.get(fis + 9));
        assertEquals("device: LBA bit", Ahci.ATA_DEVICE_LBA, tables.get(fis + 7));
        assertEquals(true, slot.queued());
        assertEquals("READ FPDMA QUEUED lba 78187493530 count 258 (slot 2)", slot.describe());
    }

    @Test
    public void unqueueMakesTheSameTransferADmaExtCommand() {
        slot.build(Ahci.ATA_CMD_WRITE_FPDMA_QUEUED, Ahci.ATA_DEVICE_LBA, 500, 2, 1024, true);
        int header = list.getInt(2 * 32);
        slot.unqueue();
        int fis = 256;
        assertEquals("WRITE DMA EXT", Ahci.ATA_CMD_WRITE_DMA_EXT, tables.get(fis + 2) & 0xFF);
        assertEquals("COUNT: the sector count", 2, tables.get(fis + 12));
        assertEquals("FEATURES cleared", 0, tables.get(fis + 3));
        assertEquals("LBA kept", 500 & 0xFF, tables.get(fis + 4) & 0xFF);
        assertEquals("header (W, PRDTL) kept", header, list.getInt(2 * 32));
        assertEquals(false, slot.queued());
    }

    @Test
    public void commandWithoutDataHasAnEmptyPrdt() {
        slot.build(Ahci.ATA_CMD_FLUSH_CACHE_EXT, Ahci.ATA_DEVICE_LBA, 0, 0, 0, false);
        assertEquals("DW0: CFL 5, PRDTL 0", 5, list.getInt(2 * 32));
        assertEquals("FLUSH CACHE EXT (slot 2)", slot.describe());
    }
}
