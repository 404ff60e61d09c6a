package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.assertPattern;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.fill;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.h2d;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;

import org.devrt.hw.DmaRegion;
import org.junit.Before;
import org.junit.Test;

/** The fault injection tests use to make a driver meet a failing, slow, hung or vanishing disk. */
public class AhciFaultTest extends AhciFixture {

    @Before
    public void plug() throws IOException {
        startPort0();
    }

    @Test
    public void failNextAbortsThatManyCommands() {
        machine.model.failNext(0, 2);
        for (int i = 0; i < 2; i++) {
            assertEquals("command " + i + ": ABRT, §3.3.5 TFES", PxIS_TFES | PxIS_DHRS, readSectors(1));
            assertEquals("ERR.ABRT in PxTFD", ATA_ERR_ABRT, port.reg(PxTFD) >>> 8);
            port.recover();
        }
        assertEquals("the third command succeeds", PxIS_DHRS, readSectors(1));
    }

    @Test
    public void theFailOptionAbortsTheFirstCommands() throws IOException {
        AhciTestDriver d = new AhciTestDriver(machine.plug(org.devrt.pci.PciAddress.parse("00:1f.3"),
                "disk0=@other", "size0=1M", "fail=1"));
        AhciTestDriver.Port p = d.port(0).start();
        DmaRegion b = d.dma.allocate(4096);
        assertEquals("fail=1: IDENTIFY aborts", PxIS_TFES | PxIS_DHRS,
                p.run(h2d(ATA_CMD_IDENTIFY_DEVICE, 0, 0, 0), false, b, 512));
        p.recover();
        assertEquals("then it works", PxIS_PSS, p.run(h2d(ATA_CMD_IDENTIFY_DEVICE, 0, 0, 0), false, b, 512));
    }

    @Test
    public void delayHoldsEachCommandBack() {
        machine.model.delayCompletions(0, 150);
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer.physicalAddress(), 512);
        long start = System.nanoTime();
        port.reg(PxCI, 1);
        AhciCommandTest.sleep(50);
        assertEquals("still in flight after 50 ms", 1, port.reg(PxCI));
        assertEquals("then it completes", PxIS_DHRS, port.waitDone(1));
        assertTrue("not before 150 ms", System.nanoTime() - start >= 150_000_000L);
    }

    @Test
    public void aHungCommandNeverCompletesAndNeedsComresetOrClo() {
        machine.model.hangNext(0, 1);
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer.physicalAddress(), 512);
        port.reg(PxCI, 1);
        AhciCommandTest.sleep(200);
        assertEquals("a hung command stays in PxCI", 1, port.reg(PxCI));
        assertEquals("nothing was reported", 0, port.reg(PxIS));
        assertEquals("§5.3.2 CFIS:Xmit set BSY and no D2H FIS cleared it", PxTFD_STS_BSY,
                port.reg(PxTFD) & PxTFD_STS_BSY);
        port.stop();
        assertEquals("§3.3.14: clearing ST clears PxCI; CR clears (no DMA in flight)", 0, port.reg(PxCI));
        assertEquals("§3.3.8: clearing ST does not clear BSY", PxTFD_STS_BSY, port.reg(PxTFD) & PxTFD_STS_BSY);
        port.reg(PxCMD, port.reg(PxCMD) | PxCMD_CLO);
        assertEquals("§3.3.7 CLO clears BSY and DRQ (§6.2.2.1)", 0,
                port.reg(PxTFD) & (PxTFD_STS_BSY | PxTFD_STS_DRQ));
        port.reg(PxCMD, port.reg(PxCMD) | PxCMD_ST);
        assertEquals("the next command runs", PxIS_DHRS, readSectors(1));
    }

    @Test
    public void surpriseRemovalDropsTheLinkAndInsertionBringsItBack() throws IOException {
        DmaRegion data = driver.dma.allocate(4096);
        fill(data, 4096, 11);
        port.run(h2d(ATA_CMD_WRITE_DMA_EXT, 8, 8, 0), true, data, 4096);
        port.reg(PxIE, PxIS_PRCS | PxIS_PCS);
        driver.write(GHC, GHC_IE);
        machine.model.hangNext(0, 1);
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer.physicalAddress(), 512);
        port.reg(PxCI, 1);
        machine.model.surpriseRemove(0);
        assertEquals("§3.3.10: no device", SSTS_DET_NONE, port.reg(PxSSTS) & SSTS_DET_MASK);
        assertEquals("§3.3.12: PhyRdy change and exchanged", SERR_DIAG_N | SERR_DIAG_X,
                port.reg(PxSERR) & (SERR_DIAG_N | SERR_DIAG_X));
        assertEquals("§3.3.5: PRCS and PCS", PxIS_PRCS | PxIS_PCS, port.reg(PxIS));
        assertEquals("§3.1.3: IS.IPS[0]", 1, driver.read(IS));
        assertTrue("§3.1.3: INTx# asserted", AhciInterruptTest.pinAsserted(driver));
        assertEquals("the command out never completes", 1, port.reg(PxCI));
        port.stop();
        port.reg(PxSERR, -1);
        driver.write(IS, 1);
        assertTrue("§3.1.3: INTx# low once acknowledged", !AhciInterruptTest.pinAsserted(driver));
        machine.model.insert(0);
        assertEquals("§3.3.10: link up again", 0x123, port.reg(PxSSTS));
        assertEquals("§3.3.9: signature", SIG_ATA, port.reg(PxSIG));
        port.reg(PxSERR, -1);
        port.reg(PxCMD, port.reg(PxCMD) | PxCMD_ST);
        DmaRegion back = driver.dma.allocate(4096);
        assertEquals(PxIS_DHRS, port.run(h2d(ATA_CMD_READ_DMA_EXT, 8, 8, 0), false, back, 4096));
        assertPattern("the disk kept its data", back, 0, 4096, 11, 0);
    }

    @Test
    public void aLostLinkComesBackWithComreset() {
        machine.model.dropLink(0);
        assertEquals("§3.3.10: device present, no PHY communication", SSTS_DET_PRESENT_NO_PHY,
                port.reg(PxSSTS) & SSTS_DET_MASK);
        assertEquals("§3.3.5: PRCS", PxIS_PRCS, port.reg(PxIS) & PxIS_PRCS);
        port.stop();
        port.comreset();
        port.reg(PxIS, -1);
        port.reg(PxCMD, port.reg(PxCMD) | PxCMD_ST);
        assertEquals("§10.4.2: after COMRESET commands run again", PxIS_DHRS, readSectors(1));
    }

    @Test
    public void faultsArePerPortAndClearable() throws IOException {
        machine.model.failNext(1, 5);
        assertEquals("port 0 is not affected by port 1's faults", PxIS_DHRS, readSectors(1));
        machine.model.failNext(0, 5);
        machine.model.clearFaults(0);
        assertEquals("cleared", PxIS_DHRS, readSectors(1));
        try {
            machine.model.failNext(6, 1);
            throw new AssertionError("port 6 does not exist");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("outside 0..5"));
        }
    }
}
