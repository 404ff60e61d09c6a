package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.fill;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.h2d;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.devrt.hw.DmaRegion;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciFunction;
import org.junit.Test;

/**
 * INTx# (AHCI 1.3.1 §3.1.2 GHC.IE, §3.1.3 IS, §3.3.5-6 PxIS/PxIE) and what a revocation (the model's
 * reset) leaves behind: power-on registers, the pin low, and no DMA afterwards.
 */
public class AhciInterruptTest extends AhciFixture {

    /** PCI 3.0 §6.2.3 Status bit 3, Interrupt Status: the level of INTx#. */
    static boolean pinAsserted(AhciTestDriver driver) {
        return (driver.function.config().read16(ConfigSpace.STATUS) & 0x08) != 0;
    }

    @Test
    public void thePinFollowsIsAndGhcIe() throws IOException, InterruptedException {
        AhciTestDriver d = new AhciTestDriver(machine.plug("disk0=@d0", "size0=1M"));
        Semaphore calls = new Semaphore(0);
        d.function.interruptLine().attach(() -> {
            calls.release();
            d.write(portBase(0) + PxIS, d.read(portBase(0) + PxIS));
            d.write(IS, d.read(IS));
        });
        AhciTestDriver.Port port = d.port(0).start();
        DmaRegion buffer = d.dma.allocate(4096);
        port.reg(PxIE, 0);
        port.prepare(0, h2d(ATA_CMD_FLUSH_CACHE_EXT, 0, 0, 0), false);
        port.issueAndWait(1);
        assertEquals("§3.3.5: DHRS is set even when not enabled", PxIS_DHRS, port.reg(PxIS));
        assertEquals("§3.1.3: but IS.IPS[0] only with PxIE", 0, d.read(IS));
        assertFalse("no pin", pinAsserted(d));
        port.reg(PxIE, PxIS_DHRS);
        assertEquals("§3.1.3: enabling the cause sets IS.IPS[0]", 1, d.read(IS));
        assertFalse("§3.1.2: GHC.IE 0 keeps INTx# low", pinAsserted(d));
        d.write(GHC, GHC_IE);
        assertTrue("the handler ran", calls.tryAcquire(5, TimeUnit.SECONDS));
        waitLow(d);
        assertEquals("the handler acknowledged PxIS", 0, port.reg(PxIS));
        d.function.interruptLine().detach();
        port.run(h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer, 512);
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, buffer.physicalAddress(), 512);
        port.issueAndWait(1);
        assertTrue("§3.1.3: asserted while a cause is pending and enabled", pinAsserted(d));
        port.reg(PxIS, PxIS_DHRS);
        assertTrue("§3.1.3: IS.IPS stays set until written 1", pinAsserted(d));
        d.write(IS, 1);
        assertFalse("§3.1.3: low once PxIS and IS are clear", pinAsserted(d));
        port.issueAndWait(1);
        d.write(IS, 1);
        assertTrue("§3.1.3: clearing IS while PxIS is still set: the bit comes back", pinAsserted(d));
        assertEquals(1, d.read(IS));
        port.reg(PxIE, 0);
        d.write(IS, 1);
        assertFalse("disabling the cause and clearing IS lowers it", pinAsserted(d));
    }

    private static void waitLow(AhciTestDriver d) {
        long deadline = System.currentTimeMillis() + 5000;
        while (pinAsserted(d)) {
            assertTrue("INTx# stays asserted", System.currentTimeMillis() < deadline);
            Thread.yield();
        }
    }

    @Test
    public void aRevocationResetsEverythingAndStopsDma() throws IOException {
        PciFunction raw = machine.plug("disk0=@d0", "size0=1M");
        PciFunction.AccessGrant grant = raw.grantAccess();
        AhciTestDriver first = new AhciTestDriver(grant.function());
        AhciTestDriver.Port port = first.port(0).start();
        DmaRegion data = first.dma.allocate(65536);
        fill(data, 65536, 1);
        port.run(h2d(ATA_CMD_WRITE_DMA_EXT, 0, 128, 0), true, data, 65536);
        port.reg(PxIE, -1);
        first.write(GHC, GHC_IE);
        machine.model.delayCompletions(0, 300);
        DmaRegion target = first.dma.allocate(65536);
        long address = target.physicalAddress();
        port.prepare(0, h2d(ATA_CMD_READ_DMA_EXT, 0, 128, 0), false, address, 65536);
        port.reg(PxCI, 1);
        grant.close();

        AhciTestDriver second = new AhciTestDriver(raw.grantAccess().function());
        assertFalse("§3.1.2: INTx# low after the reset", pinAsserted(second));
        assertEquals("GHC at power-on", GHC_AE, second.read(GHC));
        AhciTestDriver.Port p = second.port(0);
        assertEquals("PxCMD at power-on", PxCMD_POD | PxCMD_HPCP, p.reg(PxCMD));
        assertEquals("PxCI at power-on", 0, p.reg(PxCI));
        assertEquals("PxCLB at power-on (unlike GHC.HR)", 0, p.reg(PxCLB));
        assertEquals("PxTFD at power-on", 0x7f, p.reg(PxTFD));
        DmaRegion reused = second.dma.allocate(2 * 65536 + 8192);
        assertTrue("first fit hands out the old target again", reused.physicalAddress() <= address
                && address + 65536 <= reused.physicalAddress() + reused.size());
        AhciCommandTest.sleep(400);
        int offset = (int) (address - reused.physicalAddress());
        for (int i = 0; i < 65536; i += 512) {
            assertEquals("no DMA after the reset: byte " + i + " of the old target", 0,
                    reused.buffer().get(offset + i));
        }
        assertEquals("the model's faults survive a reset (test set-up, not device state)", 300, delayOf(p, second));
    }

    /** Measures the injected delay through the new driver: a command takes at least that long. */
    private static long delayOf(AhciTestDriver.Port p, AhciTestDriver d) throws IOException {
        p.start();
        DmaRegion b = d.dma.allocate(4096);
        long start = System.nanoTime();
        p.run(h2d(ATA_CMD_READ_DMA_EXT, 0, 1, 0), false, b, 512);
        return (System.nanoTime() - start) / 1_000_000 >= 300 ? 300 : -1;
    }
}
