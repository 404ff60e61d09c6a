package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.assertPattern;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.fill;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.h2d;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.devrt.hw.DmaRegion;
import org.junit.Before;
import org.junit.Test;

/** Command processing (AHCI 1.3.1 §4, §5) and the ATA commands (ATA8-ACS) of the {@code ahci} model. */
public class AhciCommandTest extends AhciFixture {
    private static final long SECTORS = 2048; // 1 MiB

    @Before
    public void plug() throws IOException {
        startPort0("model0=Test Model 7", "serial0=SN-12345");
    }

    @Test
    public void identifyDeviceReturnsTheDisksIdentityByPioDataIn() throws IOException {
        // ATA8-ACS IDENTIFY DEVICE: the words of its data
        DmaRegion buffer = driver.dma.allocate(4096);
        int status = port.run(h2d(ATA_CMD_IDENTIFY_DEVICE, 0, 0, 0), false, buffer, 512);
        assertEquals("§3.3.5: a PIO data-in command ends with PSS (PIO Setup FIS with I), not DHRS", PxIS_PSS,
                status);
        assertEquals("§3.3.14: PxCI bit cleared", 0, port.reg(PxCI));
        assertEquals("§3.3.8: PxTFD from the PIO Setup FIS's E_Status", ATA_STS_GOOD, port.reg(PxTFD));
        assertEquals("§4.2.2: PRDBC counts the 512 bytes", 512, port.prdbc(0));
        ByteBuffer fis = port.receivedFis();
        assertEquals("§4.2.1: PIO Setup FIS at 20h", FIS_TYPE_PIO_SETUP, fis.get(RFIS_PSFIS) & 0xff);
        assertEquals("PIO Setup FIS: D (to host) and I", FIS_I | FIS_PIO_D, fis.get(RFIS_PSFIS + 1) & 0xff);
        assertEquals("PIO Setup FIS: transfer count", 512, fis.getShort(RFIS_PSFIS + 16));
        byte[] id = new byte[512];
        buffer.buffer().get(0, id);
        assertEquals("IDENTIFY serial, words 10-19, byte-swapped", "SN-12345",
                IdentifyData.string(id, 10, 10));
        assertEquals("'S' is the high byte of word 10", 'S', id[21]);
        assertEquals("'N' is the low byte of word 10", 'N', id[20]);
        assertEquals("padding is spaces", ' ', id[39]);
        assertEquals("IDENTIFY model number, words 27-46", "Test Model 7", IdentifyData.string(id, 27, 20));
        assertEquals("'T' is the high byte of word 27", 'T', id[55]);
        assertEquals("IDENTIFY firmware, words 23-26", "1.0", IdentifyData.string(id, 23, 4));
        ByteBuffer w = buffer.buffer();
        assertEquals("IDENTIFY word 0 bit 15 clear: ATA device", 0, w.getShort(0) & 0x8000);
        assertEquals("IDENTIFY word 49: LBA and DMA supported", 0x300, w.getShort(98) & 0x300);
        assertEquals("IDENTIFY words 60-61: 28-bit capacity", SECTORS, w.getInt(120));
        assertEquals("IDENTIFY word 75: queue depth 32 (minus one)", 31, w.getShort(150) & 0x1f);
        assertEquals("SATA 2.6: word 76 bit 8: NCQ supported", 0x100, w.getShort(152) & 0x100);
        assertEquals("IDENTIFY word 83 bit 10: 48-bit Address feature set", 0x400, w.getShort(166) & 0x400);
        assertEquals("IDENTIFY word 83 bit 13: FLUSH CACHE EXT", 0x2000, w.getShort(166) & 0x2000);
        assertEquals("IDENTIFY word 86 bit 10: 48-bit enabled", 0x400, w.getShort(172) & 0x400);
        assertEquals("IDENTIFY words 100-103: the number of sectors", SECTORS, w.getLong(200));
        assertEquals("IDENTIFY word 106: valid, 512-byte logical sectors", 0x4000, w.getShort(212) & 0xf000);
        assertEquals("IDENTIFY word 255: signature A5h", (byte) 0xa5, id[510]);
        int sum = 0;
        for (byte b : id) {
            sum += b;
        }
        assertEquals("IDENTIFY checksum: the 512 bytes sum to 0", 0, sum & 0xff);
    }

    @Test
    public void writeThenReadThroughMultiEntryPrdtsOfOddSizes() throws IOException {
        DmaRegion out = driver.dma.allocate(16 * 512);
        DmaRegion in = driver.dma.allocate(16 * 512 + 4096);
        fill(out, 16 * 512, 3);
        long o = out.physicalAddress();
        port.prepare(0, h2d(ATA_CMD_WRITE_DMA_EXT, 100, 16, 0), true, o, 1000, o + 1000, 24, o + 1024, 3070,
                o + 4094, 2, o + 4096, 4096);
        assertEquals("§3.3.5: DHRS, no error", PxIS_DHRS, port.issueAndWait(1));
        assertEquals("§4.2.2: PRDBC", 8192, port.prdbc(0));
        assertEquals("§4.2.1: D2H Register FIS at 40h", FIS_TYPE_REG_D2H, port.receivedFis().get(RFIS_RFIS) & 0xff);
        assertEquals("D2H FIS: I bit", FIS_I, port.receivedFis().get(RFIS_RFIS + 1) & FIS_I);
        assertEquals("D2H FIS: status 50h", ATA_STS_GOOD, port.receivedFis().get(RFIS_RFIS + 2) & 0xff);
        port.reg(PxIS, -1);
        long i = in.physicalAddress();
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 100, 16, 0), false, i + 2, 510, i + 600, 7680, i + 9000, 2);
        assertEquals("§3.3.5: DHRS", PxIS_DHRS, port.issueAndWait(1));
        assertPattern("entry 1", in, 2, 510, 3, 0);
        assertPattern("entry 2", in, 600, 7680, 3, 510);
        assertPattern("entry 3", in, 9000, 2, 3, 8190);
        assertEquals("bytes between entries untouched", 0, in.buffer().get(512));
        assertEquals("bytes after the last entry untouched", 0, in.buffer().get(9002));
    }

    @Test
    public void dbcIsTheByteCountMinusOneAndBitZeroIsAlwaysOne() throws IOException {
        DmaRegion buffer = driver.dma.allocate(8192);
        ByteBuffer b = buffer.buffer();
        for (int k = 0; k < 8192; k++) {
            b.put(k, (byte) 0xee);
        }
        port.run(h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer, 512);
        assertEquals("§4.2.3.3: DBC 511 moves 512 bytes; the next byte is untouched", (byte) 0xee, b.get(512));
        assertEquals("the last byte was written", 0, b.get(511));
        long a = buffer.physicalAddress() + 4096;
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, a, 301, a + 302, 210);
        port.issueAndWait(1);
        assertEquals("§4.2.3.3: DBC bit 0 must be 1: DBC 300 (301 bytes) moves 302", 0, b.get(4096 + 301));
        assertEquals("so the second entry's 210 bytes end the sector", (byte) 0xee, b.get(4096 + 512));
        assertEquals("§4.2.2: PRDBC", 512, port.prdbc(0));
    }

    @Test
    public void thirtyTwoSlotsIssuedAtOnce() throws IOException {
        DmaRegion data = driver.dma.allocate(32 * 8192);
        fill(data, 32 * 8192, 9);
        for (int slot = 0; slot < 32; slot++) {
            port.prepare(slot, h2d(ATA_CMD_WRITE_DMA_EXT, slot * 16L, 16, 0), true,
                    data.physicalAddress() + slot * 8192L, 8192);
        }
        machine.model.delayCompletions(0, 5);
        port.reg(PxCI, -1);
        assertEquals("§3.3.14: all 32 slots issued at once (CAP.NCS = 31); §5.3.2: slot 0 runs", -1, port.reg(PxCI));
        assertEquals("§3.3.5: 32 completions, no error", PxIS_DHRS, port.waitDone(-1));
        machine.model.delayCompletions(0, 0);
        DmaRegion back = driver.dma.allocate(32 * 8192);
        for (int slot = 0; slot < 32; slot++) {
            port.prepare(slot, h2d(ATA_CMD_READ_DMA_EXT, slot * 16L, 16, 0), false,
                    back.physicalAddress() + (31 - slot) * 8192L, 8192);
        }
        port.issueAndWait(-1);
        for (int slot = 0; slot < 32; slot++) {
            assertPattern("slot " + slot, back, (31 - slot) * 8192, 8192, 9, slot * 8192);
            assertEquals("§4.2.2: PRDBC of slot " + slot, 8192, port.prdbc(slot));
        }
    }

    @Test
    public void ncqCommandsCompleteWithSetDeviceBits() throws IOException {
        DmaRegion data = driver.dma.allocate(8 * 4096);
        fill(data, 8 * 4096, 5);
        for (int slot = 0; slot < 8; slot++) {
            port.prepare(slot, h2d(ATA_CMD_WRITE_FPDMA_QUEUED, 512 + slot * 8L, slot << 3, 8), true,
                    data.physicalAddress() + slot * 4096L, 4096);
        }
        port.reg(PxSACT, 0xff);
        port.reg(PxCI, 0xff);
        int status = port.waitDone(0xff);
        assertEquals("§3.3.5: NCQ completion is SDBS, not DHRS", PxIS_SDBS, status);
        assertEquals("§3.3.13: PxSACT bits cleared by the Set Device Bits FIS", 0, port.reg(PxSACT));
        assertEquals("§4.2.1: SDB FIS at 58h", FIS_TYPE_SET_DEVICE_BITS,
                port.receivedFis().get(RFIS_SDBFIS) & 0xff);
        port.reg(PxIS, -1);
        DmaRegion back = driver.dma.allocate(8 * 4096);
        for (int slot = 0; slot < 8; slot++) {
            port.prepare(slot, h2d(ATA_CMD_READ_FPDMA_QUEUED, 512 + slot * 8L, slot << 3, 8), false,
                    back.physicalAddress() + slot * 4096L, 4096);
        }
        port.reg(PxSACT, 0xff);
        port.reg(PxCI, 0xff);
        port.waitDone(0xff);
        assertPattern("NCQ round trip", back, 0, 8 * 4096, 5, 0);
        for (int slot = 0; slot < 8; slot++) {
            assertEquals("§5.4.1: PRDBC is not written for a queued command (as on HBAs that leave it)", 0,
                    port.prdbc(slot));
        }
        port.reg(PxIS, -1);
        port.prepare(3, h2d(ATA_CMD_READ_FPDMA_QUEUED, 0, 5 << 3, 1), false, back.physicalAddress(), 512);
        port.reg(PxSACT, 1 << 3);
        assertEquals("ATA8-ACS READ FPDMA QUEUED: a tag that is not the slot is aborted", PxIS_TFES | PxIS_DHRS,
                port.issueAndWait(1 << 3));
    }

    /**
     * READ LOG EXT of the NCQ Command Error log (10h) in {@code slot}, through {@code buffer}; asserts it completed and
     * that the 512 bytes sum to zero (byte 511 is their checksum), and returns them.
     */
    static byte[] readNcqErrorLog(AhciTestDriver.Port port, DmaRegion buffer, int slot) {
        port.prepare(slot, h2d(ATA_CMD_READ_LOG_EXT, ATA_LOG_NCQ_ERROR, 1, 0), false, buffer.physicalAddress(), 512);
        int status = port.issueAndWait(1 << slot);
        port.reg(PxIS, status);
        assertEquals("ACS-3 READ LOG EXT: PIO data-in, ends with PSS", PxIS_PSS, status);
        byte[] log = new byte[512];
        buffer.buffer().get(0, log);
        int sum = 0;
        for (byte b : log) {
            sum += b;
        }
        assertEquals("byte 511 makes the log sum to 0", 0, sum & 0xff);
        return log;
    }

    @Test
    public void afterAnNcqErrorTheDiskTakesOnlyReadLogExtWhichNamesTheFailedTag() throws IOException {
        DmaRegion data = driver.dma.allocate(4 * 4096);
        for (int slot = 2; slot < 6; slot++) {
            port.prepare(slot, h2d(ATA_CMD_WRITE_FPDMA_QUEUED, 64 + slot * 8L, slot << 3, 8), true,
                    data.physicalAddress() + (slot - 2) * 4096L, 4096);
        }
        machine.model.failNext(0, 1); // the first transmitted: slot 2
        port.reg(PxSACT, 0x3c);
        assertEquals("§3.3.5: the queued command's error", PxIS_TFES | PxIS_SDBS, port.issueAndWait(0x3c));
        port.recover(); // ST off and on: no reset, so the device keeps its error state
        DmaRegion buffer = driver.dma.allocate(4096);
        assertEquals("SATA 13.6.3.2: any other command is aborted until the log is read", PxIS_TFES | PxIS_DHRS,
                port.run(h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer, 512));
        assertEquals(ATA_ERR_ABRT, port.reg(PxTFD) >>> 8 & 0xff);
        port.recover();
        byte[] log = readNcqErrorLog(port, buffer, 7);
        assertEquals("byte 0: NQ clear, the tag of the failed command", 2, log[0]);
        assertEquals("byte 2: Status with ERR", ATA_STS_GOOD | ATA_STS_ERR, log[2] & 0xff);
        assertEquals("byte 3: Error", ATA_ERR_ABRT, log[3]);
        assertEquals("bytes 4-6: its LBA", 64 + 2 * 8, log[4] & 0xff);
        assertEquals("the disk takes commands again", PxIS_DHRS,
                port.run(h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer, 512));
        assertEquals("read, the log is cleared", 0, readNcqErrorLog(port, buffer, 7)[0]);
    }

    @Test
    public void aComresetAlsoEndsTheNcqErrorState() throws IOException {
        DmaRegion data = driver.dma.allocate(4096);
        port.prepare(1, h2d(ATA_CMD_READ_FPDMA_QUEUED, 8, 1 << 3, 8), false, data.physicalAddress(), 4096);
        machine.model.failNext(0, 1);
        port.reg(PxSACT, 2);
        assertEquals(PxIS_TFES | PxIS_SDBS, port.issueAndWait(2));
        port.stop();
        port.comreset();
        port.reg(PxIS, -1);
        port.reg(PxCMD, port.reg(PxCMD) | PxCMD_ST);
        assertEquals("after COMRESET the disk takes commands", PxIS_DHRS,
                port.run(h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, data, 512));
    }

    @Test
    public void theGeneralPurposeLogDirectorySaysLog10hHasOnePageAndOtherLogsAreAborted() throws IOException {
        DmaRegion buffer = driver.dma.allocate(4096);
        assertEquals(PxIS_PSS, port.run(h2d(ATA_CMD_READ_LOG_EXT, 0x00, 1, 0), false, buffer, 512));
        assertEquals("log directory version 0001h", 1, buffer.buffer().getShort(0));
        assertEquals("log 10h: one page", 1, buffer.buffer().getShort(2 * ATA_LOG_NCQ_ERROR));
        assertEquals("IDENTIFY word 84 bit 5: General Purpose Logging", 1 << 5, identifyWord(buffer, 84) & 1 << 5);
        assertEquals("a log the disk does not have is aborted", PxIS_TFES | PxIS_DHRS,
                port.run(h2d(ATA_CMD_READ_LOG_EXT, 0x13, 1, 0), false, buffer, 512));
    }

    @Test
    public void withGplFalseIdentifySaysNoLogsAndReadLogExtIsAborted() throws IOException {
        try (AhciMachine other = new AhciMachine()) {
            AhciTestDriver d = new AhciTestDriver(other.plug("disk0=@nolog", "size0=1M", "gpl=false"));
            AhciTestDriver.Port p = d.port(0).start();
            DmaRegion buffer = d.dma.allocate(4096);
            assertEquals(PxIS_PSS, p.run(h2d(ATA_CMD_IDENTIFY_DEVICE, 0, 0, 0), false, buffer, 512));
            assertEquals("IDENTIFY word 84 bit 5 clear", 0, buffer.buffer().getShort(2 * 84) & 1 << 5);
            assertEquals("IDENTIFY word 87 bit 5 clear", 0, buffer.buffer().getShort(2 * 87) & 1 << 5);
            assertEquals("READ LOG EXT is aborted", PxIS_TFES | PxIS_DHRS,
                    p.run(h2d(ATA_CMD_READ_LOG_EXT, ATA_LOG_NCQ_ERROR, 1, 0), false, buffer, 512));
        }
    }

    private int identifyWord(DmaRegion buffer, int word) {
        port.recover();
        assertEquals(PxIS_PSS, port.run(h2d(ATA_CMD_IDENTIFY_DEVICE, 0, 0, 0), false, buffer, 512));
        return buffer.buffer().getShort(2 * word) & 0xffff;
    }

    @Test
    public void anLbaPastTheEndAbortsAndThePortStopsUntilRecovered() throws IOException {
        DmaRegion buffer = driver.dma.allocate(4096);
        int status = port.run(h2d(ATA_CMD_READ_DMA_EXT, SECTORS - 1, 2, 0), false, buffer, 1024);
        assertEquals("§3.3.5: a task file error: TFES (with the D2H FIS's DHRS)", PxIS_TFES | PxIS_DHRS, status);
        assertEquals("§3.3.8: STS.ERR and ERR.ABRT", ATA_ERR_ABRT << 8 | ATA_STS_GOOD | ATA_STS_ERR,
                port.reg(PxTFD));
        assertEquals("§6.2.2.1: the failed slot stays set in PxCI", 1, port.reg(PxCI));
        port.prepare(1, h2d(ATA_CMD_FLUSH_CACHE_EXT, 0, 0, 0), false);
        port.reg(PxCI, 2);
        sleep(50);
        assertEquals("§6.2.2: after the error the HBA issues nothing more", 3, port.reg(PxCI));
        port.recover();
        assertEquals("§6.2.2.1: recovered, the port runs commands again", PxIS_DHRS,
                port.run(h2d(ATA_CMD_READ_DMA_EXT, SECTORS - 2, 2, 0), false, buffer, 1024));
    }

    @Test
    public void aCountOfZeroMeans65536Sectors() throws IOException {
        DmaRegion buffer = driver.dma.allocate(4096);
        int status = port.run(h2d(ATA_CMD_READ_DMA_EXT, 0, 0, 0), false, buffer, 4096);
        assertEquals("ATA8-ACS READ DMA EXT: count 0 is 65536 sectors, beyond this 2048-sector disk",
                PxIS_TFES | PxIS_DHRS, status);
    }

    @Test
    public void aCountOfZeroMoves32MiB() throws IOException {
        try (AhciMachine big = new AhciMachine(40 << 20)) {
            AhciTestDriver d = new AhciTestDriver(big.plug("disk0=@big", "size0=40M"));
            AhciTestDriver.Port p = d.port(0).start();
            int bytes = 32 << 20;
            DmaRegion buffer = d.dma.allocate(bytes);
            long[] prds = new long[16];
            for (int i = 0; i < 8; i++) {
                prds[2 * i] = buffer.physicalAddress() + (long) i * (4 << 20);
                prds[2 * i + 1] = 4 << 20;
            }
            p.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 0, 0), false, prds);
            assertEquals("ATA8-ACS READ DMA EXT: count 0 reads 65536 sectors", PxIS_DHRS, p.issueAndWait(1));
            assertEquals("§4.2.3.3: eight 4 MiB entries (DBC 3FFFFFh)", bytes, p.prdbc(0));
        }
    }

    @Test
    public void unknownCommandsAbort() throws IOException {
        DmaRegion buffer = driver.dma.allocate(4096);
        assertEquals("ATA8-ACS: READ DMA (28-bit, C8h) is not implemented: ABRT", PxIS_TFES | PxIS_DHRS,
                port.run(h2d(0xc8, 0, 1, 0), false, buffer, 512));
        assertEquals("ERR.ABRT", ATA_ERR_ABRT, port.reg(PxTFD) >>> 8);
        port.recover();
        assertEquals("FLUSH CACHE EXT completes with a D2H FIS", PxIS_DHRS,
                port.run(h2d(ATA_CMD_FLUSH_CACHE_EXT, 0, 0, 0), false, buffer, 0));
        assertEquals("§3.3.8: good status", ATA_STS_GOOD, port.reg(PxTFD));
    }

    @Test
    public void softResetByControlFisesGivesTheSignature() throws IOException {
        byte[] control = new byte[20];
        control[0] = (byte) FIS_TYPE_REG_H2D;
        control[15] = (byte) ATA_CONTROL_SRST;
        port.prepare(0, control, false);
        ByteBuffer list = port.list.buffer();
        list.putInt(0, list.getInt(0) | CMDH_R | CMDH_C);
        port.issueAndWait(1);
        assertEquals("§10.4.1: SRST set with header C (clear busy upon R_OK): BSY clear", 0,
                port.reg(PxTFD) & PxTFD_STS_BSY);
        control[15] = 0;
        port.prepare(1, control, false);
        port.issueAndWait(2);
        assertEquals("§10.4.1: SRST cleared: the device sends its signature", 0x150, port.reg(PxTFD));
        assertEquals(SIG_ATA, port.reg(PxSIG));
    }

    @Test
    public void aPrdWithTheIBitRaisesDescriptorProcessed() throws IOException {
        DmaRegion buffer = driver.dma.allocate(4096);
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer.physicalAddress(), 512);
        ByteBuffer table = port.tables.buffer();
        table.putInt(CT_PRDT + PRD_DW3, table.getInt(CT_PRDT + PRD_DW3) | PRD_I);
        assertTrue("§4.2.3.3: I bit: DPS", (port.issueAndWait(1) & PxIS_DPS) != 0);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
