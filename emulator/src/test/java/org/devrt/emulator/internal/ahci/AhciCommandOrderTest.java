package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.h2d;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.junit.Before;
import org.junit.Test;

/**
 * The order in which the port sends commands (AHCI 1.3.1 §5.3.2, the port's command processing, with §3.3.7 CCS,
 * §3.3.8 PxTFD and §3.3.14 PxCI): one command FIS at a time, the next only once PxTFD.STS.BSY and DRQ are clear,
 * the next slot searched round-robin from CCS + 1. A non-queued command holds BSY until its D2H Register FIS, so
 * non-queued commands run one after another; a queued one (NCQ) releases BSY at once, so they overlap.
 */
public class AhciCommandOrderTest extends AhciFixture {
    private static final long DELAY = 100;

    @Before
    public void plug() throws IOException {
        startPort0();
    }

    private int ccs() {
        return (port.reg(PxCMD) & PxCMD_CCS_MASK) >>> PxCMD_CCS_SHIFT;
    }

    /** READ DMA EXT of one sector (LBA = slot) into the buffer, in each slot of {@code slots}. */
    private void prepareReads(int slots) {
        for (int bits = slots; bits != 0; bits &= bits - 1) {
            int slot = Integer.numberOfTrailingZeros(bits);
            port.prepare(slot, h2d(ATA_CMD_READ_DMA_EXT, slot, 1, 0), false,
                    buffer.physicalAddress() + 512 * (slot & 15), 512);
        }
    }

    /** READ FPDMA QUEUED of one sector with tag = slot (ATA8-ACS: count in FEATURES, tag in COUNT 7:3). */
    private void prepareQueuedReads(int slots) {
        for (int bits = slots; bits != 0; bits &= bits - 1) {
            int slot = Integer.numberOfTrailingZeros(bits);
            port.prepare(slot, h2d(ATA_CMD_READ_FPDMA_QUEUED, slot, slot << 3, 1), false,
                    buffer.physicalAddress() + 512 * (slot & 15), 512);
        }
    }

    /** §3.3.13: PxSACT before PxCI for queued commands. */
    private void issueQueued(int slots) {
        port.reg(PxSACT, slots);
        port.reg(PxCI, slots);
    }

    /**
     * Rings the doorbell for {@code slots} and watches PxCI until they are done: the order in which their bits
     * cleared. While a bit is still set, CCS must name the lowest one still set (these tests issue in slot order)
     * and BSY must be set: a sample counts only when PxCI read the same before and after CMD and TFD.
     */
    private List<Integer> completionOrder(int slots, boolean checkRunning) {
        List<Integer> order = new ArrayList<>();
        port.reg(PxCI, slots);
        int left = slots;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (left != 0) {
            assertTrue("timed out: " + port, System.nanoTime() < deadline);
            int ci = port.reg(PxCI);
            int cmd = port.reg(PxCMD);
            int tfd = port.reg(PxTFD);
            if (checkRunning && ci != 0 && ci == port.reg(PxCI)) {
                int running = Integer.numberOfTrailingZeros(ci);
                assertEquals("§3.3.7 CCS names the slot being processed, PxCI 0x" + Integer.toHexString(ci), running,
                        (cmd & PxCMD_CCS_MASK) >>> PxCMD_CCS_SHIFT);
                assertEquals("§5.3.2 CFIS:Xmit: BSY from the command FIS until its D2H FIS", PxTFD_STS_BSY,
                        tfd & PxTFD_STS_BSY);
            }
            for (int done = left & ~ci; done != 0; done &= done - 1) {
                order.add(Integer.numberOfTrailingZeros(done));
            }
            left &= ci;
            assertEquals("no error: " + port, 0, port.reg(PxIS) & (PxIS_TFES | PxIS_HBFS | PxIS_IFS | PxIS_OFS));
            LockSupport.parkNanos(200_000);
        }
        return order;
    }

    @Test
    public void nonQueuedCommandsRunOneAtATimeInSlotOrder() {
        prepareReads(0xff);
        machine.model.delayCompletions(0, DELAY);
        long start = System.nanoTime();
        List<Integer> order = completionOrder(0xff, true);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("§5.3.2, ATA8-ACS: a non-queued command goes to the device only once the previous one completed:"
                + " 8 commands of " + DELAY + " ms took " + millis + " ms", millis >= 8 * DELAY);
        assertEquals("§5.3.2: after ST was set the search starts at slot 0 and goes up (§3.3.7 CCS)",
                List.of(0, 1, 2, 3, 4, 5, 6, 7), order);
        assertEquals("§3.3.7 CCS: the last slot processed", 7, ccs());
        assertEquals("§3.3.5: each ended with a D2H Register FIS", PxIS_DHRS, port.reg(PxIS));
        assertEquals("§3.3.8: PxTFD from the last D2H FIS: BSY clear", ATA_STS_GOOD, port.reg(PxTFD));
    }

    @Test
    public void theNextSlotIsSearchedRoundRobinFromCcsPlusOne() {
        prepareReads(1 << 5);
        assertEquals(PxIS_DHRS, port.issueAndWait(1 << 5));
        assertEquals("§3.3.7 CCS: slot 5 was processed last", 5, ccs());
        port.reg(PxIS, -1);
        prepareReads(1 << 1 | 1 << 3 | 1 << 8 | 1 << 31);
        machine.model.delayCompletions(0, 20);
        assertEquals("§3.3.7 CCS: the search goes on from CCS + 1 = 6 and wraps from 31 to 0", List.of(8, 31, 1, 3),
                completionOrder(1 << 1 | 1 << 3 | 1 << 8 | 1 << 31, false));
        port.stop();
        assertEquals("§3.3.7: CCS reads 0 once ST is cleared", 0, ccs());
        port.reg(PxCMD, port.reg(PxCMD) | PxCMD_ST);
        prepareReads(1 << 1 | 1 << 4);
        assertEquals("§3.3.7 CCS: after ST is set again the search starts at slot 0, not at CCS + 1", List.of(1, 4),
                completionOrder(1 << 1 | 1 << 4, false));
    }

    @Test
    public void aHungNonQueuedCommandHoldsBsyAndCcsAndTheSlotsBehindIt() {
        prepareReads(0xff);
        machine.model.hangNext(0, 1);
        port.reg(PxCI, 1);
        port.reg(PxCI, 0xfe);
        AhciCommandTest.sleep(150);
        assertEquals("§3.3.14: nothing completes behind the hung command", 0xff, port.reg(PxCI));
        assertEquals("§3.3.7 CCS: the hung slot 0 is the one being processed", 0, ccs());
        assertEquals("§3.3.8: BSY set since the command FIS went out (CFIS:Xmit)", PxTFD_STS_BSY,
                port.reg(PxTFD) & PxTFD_STS_BSY);
        assertEquals("§3.3.5: no interrupt cause", 0, port.reg(PxIS));
        port.recover(); // §6.2.2.1: ST off, COMRESET because BSY is set, ST on
        assertEquals("§3.3.14: PxCI cleared with ST", 0, port.reg(PxCI));
        assertEquals("§10.4.2: the device is idle after COMRESET", 0, port.reg(PxTFD) & PxTFD_STS_BSY);
        assertEquals("the slots run again when issued again", List.of(1, 2, 3, 4, 5, 6, 7),
                completionOrder(0xfe, true));
    }

    @Test
    public void bsyIsSetFromTheCommandFisUntilTheD2hFis() {
        prepareReads(1);
        machine.model.delayCompletions(0, 2 * DELAY);
        port.reg(PxCI, 1);
        assertEquals("§5.3.2 CFIS:Xmit: BSY set as the command FIS goes out", PxTFD_STS_BSY,
                port.reg(PxTFD) & PxTFD_STS_BSY);
        assertEquals("§3.3.14: still issued", 1, port.reg(PxCI));
        assertEquals(PxIS_DHRS, port.waitDone(1));
        assertEquals("§5.3.8 RegFIS: the D2H FIS's status (BSY clear) is PxTFD", ATA_STS_GOOD, port.reg(PxTFD));
        assertEquals("§4.2.1: that D2H FIS, with I", FIS_I, port.receivedFis().get(RFIS_RFIS + 1) & FIS_I);
    }

    @Test
    public void queuedCommandsAreAcceptedAtOnceAndOverlap() {
        prepareQueuedReads(-1);
        machine.model.delayCompletions(0, 2 * DELAY);
        long start = System.nanoTime();
        issueQueued(-1);
        assertEquals("§3.3.14, §5.3.8 RegFIS:ClearCI: each queued command's PxCI bit cleared when the device queued"
                + " it, so all 32 went out at once", 0, port.reg(PxCI));
        assertEquals("§3.3.13: all 32 tags outstanding in the device (IDENTIFY word 75: depth 32)", -1,
                port.reg(PxSACT));
        assertEquals("SATA DFPDMAQ2: the device's D2H FIS cleared BSY", ATA_STS_GOOD, port.reg(PxTFD));
        ByteBuffer fis = port.receivedFis();
        assertEquals("§4.2.1: that D2H FIS is posted at 40h", FIS_TYPE_REG_D2H, fis.get(RFIS_RFIS) & 0xff);
        assertEquals("DFPDMAQ2: with I clear", 0, fis.get(RFIS_RFIS + 1) & FIS_I);
        assertEquals("§3.3.5: so no DHRS", 0, port.reg(PxIS) & PxIS_DHRS);
        assertEquals("§3.3.5: each completion is a Set Device Bits FIS", PxIS_SDBS, port.waitDone(-1));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("32 queued commands of " + 2 * DELAY + " ms overlap: " + millis + " ms", millis < 16 * DELAY);
    }

    @Test
    public void queuedCompletionsNeedNotBeInOrder() {
        prepareQueuedReads(3);
        machine.model.hangNext(0, 1);
        issueQueued(3);
        assertEquals("§3.3.5 SDBS", PxIS_SDBS, port.waitDone(2));
        assertEquals("§3.3.13: tag 1 completed while tag 0 is still outstanding", 1, port.reg(PxSACT));
        assertEquals("§3.3.14: both were queued", 0, port.reg(PxCI));
        assertEquals("§4.2.1: the SDB FIS names tag 1", 2, port.receivedFis().getInt(RFIS_SDBFIS + 4));
    }

    @Test
    public void aFailedQueuedCommandAbortsTheQueueAndHaltsThePort() throws IOException {
        prepareQueuedReads(0xf);
        machine.model.delayCompletions(0, 2 * DELAY);
        issueQueued(0xe);
        machine.model.delayCompletions(0, 0);
        machine.model.failNext(0, 1);
        issueQueued(1);
        int status = port.waitDone(0xf);
        assertEquals("§3.3.5: TFES, with the Set Device Bits FIS's SDBS", PxIS_TFES | PxIS_SDBS, status);
        assertEquals("§3.3.8: ERR and ABRT in PxTFD", ATA_ERR_ABRT << 8 | ATA_STS_GOOD | ATA_STS_ERR,
                port.reg(PxTFD));
        AhciCommandTest.sleep(3 * DELAY);
        assertEquals("ATA8-ACS NCQ: the device aborted its queue; §3.3.13: no tag completes", 0xf,
                port.reg(PxSACT));
        port.recover();
        assertEquals("§3.3.13: PxSACT clears with ST", 0, port.reg(PxSACT));
        machine.model.delayCompletions(0, 0);
        assertEquals("SATA 13.7.4: the NCQ Command Error log names tag 0", 0,
                AhciCommandTest.readNcqErrorLog(port, driver.dma.allocate(4096), 4)[0]);
        port.reg(PxIS, -1);
        port.reg(PxSACT, 0xf);
        assertEquals("§6.2.2: after recovery and the log read the queue works", PxIS_SDBS, port.issueAndWait(0xf));
    }

    @Test
    public void aNonQueuedCommandWhileTagsAreOutstandingIsAbortedWithTheQueue() {
        prepareQueuedReads(1);
        machine.model.hangNext(0, 1);
        issueQueued(1);
        port.prepare(1, h2d(ATA_CMD_FLUSH_CACHE_EXT, 0, 0, 0), false);
        assertEquals("ATA8-ACS: a non-queued command while NCQ tags are outstanding is aborted",
                PxIS_TFES | PxIS_DHRS, port.issueAndWait(2));
        assertEquals("§6.2.2.1: it stays in PxCI", 2, port.reg(PxCI));
        assertEquals("§3.3.7 CCS names it", 1, ccs());
        assertEquals("ERR.ABRT", ATA_ERR_ABRT, port.reg(PxTFD) >>> 8);
        port.recover();
        assertEquals("the queue was aborted: the flush alone now runs", PxIS_DHRS, port.issueAndWait(2));
    }
}
