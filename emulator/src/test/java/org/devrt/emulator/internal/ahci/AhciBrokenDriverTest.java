package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.h2d;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.devrt.hw.DmaRegion;
import org.devrt.pci.ConfigSpace;
import org.junit.Before;
import org.junit.Test;

/**
 * A broken driver gets an error status, never a model exception or a hang: every value the driver controls
 * (pointers, CFL, FIS type, PRDTL, DBC) is checked, and each failure ends in the PxIS bit AHCI 1.3.1 §3.3.5 and
 * §6.1 name. After each, the §6.2.2 recovery makes the port work again.
 */
public class AhciBrokenDriverTest extends AhciFixture {
    private static final int FATAL = PxIS_HBFS | PxIS_IFS | PxIS_OFS | PxIS_TFES;

    @Before
    public void plug() throws IOException {
        startPort0();
    }

    /** The port recovers and reads a sector: the model is still sane. */
    private void assertRecovers(String after) {
        port.recover();
        assertEquals("§6.2.2: after " + after + " the port works again", PxIS_DHRS, readSectors(1));
    }

    private int slot0Status() {
        int status = port.issueAndWait(1) & FATAL;
        assertEquals("§6.2.2.1: the failed slot stays in PxCI", 1, port.reg(PxCI) & 1);
        return status;
    }

    @Test
    public void aPrdOutsideDmaMemoryIsAHostBusFatalError() {
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, 0x1000, 512);
        assertEquals("§3.3.5 HBFS: a bad software pointer (PCI master abort)", PxIS_HBFS, slot0Status());
        assertEquals("§3.3.8: the device had the command: BSY stays until COMRESET or CLO", PxTFD_STS_BSY,
                port.reg(PxTFD) & PxTFD_STS_BSY);
        assertEquals("PCI 3.0 §6.2.3: Received Master Abort", 1 << 13,
                driver.function.config().read16(ConfigSpace.STATUS) & 1 << 13);
        port.stop();
        port.reg(PxIS, -1);
        port.reg(PxCMD, port.reg(PxCMD) | PxCMD_ST);
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer.physicalAddress(), 512);
        port.reg(PxCI, 1);
        AhciCommandTest.sleep(50);
        assertEquals("§6.2.2.1: restarted with BSY still set, the HBA issues nothing", 1, port.reg(PxCI));
        assertRecovers("HBFS");
    }

    @Test
    public void aPrdCrossingTheEndOfItsRegionIsAHostBusFatalError() {
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 2, 0), false, buffer.physicalAddress() + 8192 - 512, 1024);
        assertEquals("§3.3.5 HBFS: outside the function's DMA region", PxIS_HBFS, slot0Status());
        assertRecovers("HBFS");
    }

    @Test
    public void aCommandTableOutsideMemoryIsAHostBusFatalError() {
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer.physicalAddress(), 512);
        port.list.buffer().putLong(CMDH_CTBA, 0xdead_0000L);
        assertEquals("§3.3.5 HBFS", PxIS_HBFS, slot0Status());
        assertEquals("the device never saw it: not busy", 0, port.reg(PxTFD) & PxTFD_STS_BSY);
        assertRecovers("HBFS");
    }

    @Test
    public void aCommandListOutsideMemoryIsAHostBusFatalError() {
        port.stop();
        port.reg(PxCLB, 0x4000);
        port.reg(PxCLBU, 0);
        port.reg(PxCMD, port.reg(PxCMD) | PxCMD_ST);
        assertEquals("§3.3.5 HBFS", PxIS_HBFS, slot0Status());
        port.stop();
        port.reg(PxCLB, (int) port.list.physicalAddress());
        port.reg(PxCLBU, (int) (port.list.physicalAddress() >>> 32));
        assertRecovers("HBFS");
    }

    @Test
    public void busMasteringOffIsAHostBusFatalError() {
        ConfigSpace config = driver.function.config();
        config.write16(ConfigSpace.COMMAND, config.read16(ConfigSpace.COMMAND) & ~ConfigSpace.COMMAND_BUS_MASTER);
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer.physicalAddress(), 512);
        assertEquals("§3.3.5 HBFS", PxIS_HBFS, slot0Status());
        config.write16(ConfigSpace.COMMAND, config.read16(ConfigSpace.COMMAND) | ConfigSpace.COMMAND_BUS_MASTER);
        assertRecovers("HBFS");
    }

    @Test
    public void aBadCflOrFisTypeIsAnInterfaceFatalError() {
        for (int cfl : new int[] {0, 4, 17, 31}) {
            port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer.physicalAddress(), 512);
            ByteBuffer list = port.list.buffer();
            list.putInt(0, list.getInt(0) & ~CMDH_CFL_MASK | cfl);
            assertEquals("§3.3.5 IFS: CFL " + cfl + " cannot hold a Register H2D FIS", PxIS_IFS, slot0Status());
            assertEquals("§3.3.12: PxSERR.ERR.P, protocol", SERR_ERR_P, port.reg(PxSERR) & SERR_ERR_P);
            assertRecovers("CFL " + cfl);
        }
        byte[] fis = h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0);
        fis[0] = (byte) FIS_TYPE_REG_D2H;
        port.prepare(0, fis, false, buffer.physicalAddress(), 512);
        assertEquals("§3.3.5 IFS: a command FIS must be a Register H2D FIS", PxIS_IFS, slot0Status());
        assertRecovers("a D2H FIS as command");
    }

    @Test
    public void aPrdtShorterThanTheDataIsAnOverflow() {
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 4, 0), false, buffer.physicalAddress(), 1024);
        assertEquals("§3.3.5 OFS: more data than the PRD table holds", PxIS_OFS, slot0Status());
        assertRecovers("OFS on a read");
        port.prepare(0, h2d(ATA_CMD_WRITE_DMA_EXT, 0, 4, 0), true, buffer.physicalAddress(), 1024);
        assertEquals("§3.3.5 OFS: a write whose PRD table holds too little", PxIS_OFS, slot0Status());
        assertRecovers("OFS on a write");
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false);
        assertEquals("§3.3.5 OFS: PRDTL 0 for a data command", PxIS_OFS, slot0Status());
        assertRecovers("PRDTL 0");
        port.prepare(0, h2d(ATA_CMD_IDENTIFY_DEVICE, 0, 0, 0), false, buffer.physicalAddress(), 256);
        assertEquals("§3.3.5 OFS: IDENTIFY into 256 bytes", PxIS_OFS, slot0Status());
        assertRecovers("OFS on IDENTIFY");
    }

    @Test
    public void theHugestPrdtlIsReadOnlyAsFarAsTheDataGoes() throws IOException {
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer.physicalAddress(), 512);
        ByteBuffer list = port.list.buffer();
        list.putInt(0, list.getInt(0) | 0xffff << CMDH_PRDTL_SHIFT);
        assertEquals("§4.2.2: PRDTL 65535 with the first entry enough: only it is fetched", PxIS_DHRS,
                port.issueAndWait(1));
        port.reg(PxIS, -1);
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 255, 0), false);
        list.putInt(0, list.getInt(0) | 0xffff << CMDH_PRDTL_SHIFT);
        ByteBuffer table = port.tables.buffer();
        for (int i = 0; i < (AhciTestDriver.TABLE_SIZE - CT_PRDT) / PRD_SIZE; i++) {
            table.putLong(CT_PRDT + i * PRD_SIZE, buffer.physicalAddress());
            table.putInt(CT_PRDT + i * PRD_SIZE + PRD_DW3, 1); // 2 bytes each
        }
        assertEquals("§3.3.5 HBFS: PRDTL 65535 runs the table past its memory", PxIS_HBFS, slot0Status());
        assertRecovers("PRDTL 65535");
    }

    @Test
    public void aWrongWriteBitDoesNotChangeTheDirection() {
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), true, buffer.physicalAddress(), 512);
        assertEquals("§4.2.2: W is a hint; the command decides the direction", PxIS_DHRS, port.issueAndWait(1));
    }

    @Test
    public void settingStWithoutADeviceIssuesNothing() throws IOException {
        AhciTestDriver.Port empty = driver.port(1);
        empty.reg(PxCLB, (int) empty.list.physicalAddress());
        empty.reg(PxCLBU, (int) (empty.list.physicalAddress() >>> 32));
        empty.reg(PxCMD, PxCMD_SUD | PxCMD_ST);
        empty.prepare(0, h2d(ATA_CMD_IDENTIFY_DEVICE, 0, 0, 0), false, buffer.physicalAddress(), 512);
        empty.reg(PxCI, 1);
        AhciCommandTest.sleep(50);
        assertEquals("§3.3.14: no device, nothing completes", 1, empty.reg(PxCI));
        empty.stop();
        assertEquals(0, empty.reg(PxCI));
    }
}
