package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The transmit ring: TDT doorbell, gathering, DD write-back, padding, statistics, and drivers that get it wrong. */
public class E1000TransmitTest {
    private static final byte[] BROADCAST = TestNic.mac("ff:ff:ff:ff:ff:ff");
    private static final byte[] ME = TestNic.mac("52:54:00:00:00:01");

    private final Nics nics = new Nics();
    private Nics.Tap tap;
    private TestNic nic;

    @Before
    public void setUp() throws Exception {
        tap = nics.tap();
        nic = nics.plug(Nics.SLOT3, "mac=52:54:00:00:00:01").up();
        nic.get(ICR);
    }

    @After
    public void shutDown() {
        nics.close();
    }

    @Test
    public void aFrameGoesThroughTheRingToTheSwitch() throws Exception {
        byte[] frame = TestNic.frame(BROADCAST, ME, 100);
        nic.send(frame);
        assertArrayEquals("8254x SDM 3.3: the buffer's bytes leave as the frame", frame, tap.next(2000));
        assertEquals("3.3.3.2: STATUS.DD written back (CMD.RS)", TDESC_STATUS_DD,
                nic.txRing.buffer().get(TDESC_STATUS) & TDESC_STATUS_DD);
        assertEquals("13.4.39: TDH advanced to TDT", nic.get(TDT), nic.get(TDH));
        assertEquals("13.4.17: ICR.TXDW (descriptor written back) and TXQE (queue empty)", ICR_TXDW | ICR_TXQE,
                nic.get(ICR) & (ICR_TXDW | ICR_TXQE));
    }

    @Test
    public void manyFramesOneDoorbell() throws Exception {
        for (int i = 0; i < 10; i++) {
            nic.queue(TestNic.frame(BROADCAST, ME, 50 + i), TDESC_CMD_EOP | TDESC_CMD_IFCS | TDESC_CMD_RS);
        }
        nic.set(TDT, nic.txNext);
        for (int i = 0; i < 10; i++) {
            byte[] frame = tap.next(2000);
            assertEquals("frames leave in ring order", 64 + i, frame.length);
        }
        nic.awaitTxDone(9);
    }

    @Test
    public void theRingWrapsAround() throws Exception {
        for (int i = 0; i < 40; i++) {
            nic.send(TestNic.frame(BROADCAST, ME, 60));
            assertEquals(74, tap.next(2000).length);
        }
        assertEquals("40 frames through 16 descriptors", 40 % 16, nic.get(TDH));
    }

    @Test
    public void shortFramesArePaddedTo60BytesWithPsp() throws Exception {
        byte[] frame = TestNic.frame(BROADCAST, ME, 28);
        nic.send(frame);
        byte[] sent = tap.next(2000);
        assertEquals("13.4.33: TCTL.PSP pads to 64 bytes with the FCS, 60 without", 60, sent.length);
        assertArrayEquals(frame, Arrays.copyOf(sent, frame.length));
        assertArrayEquals("padding is zeros", new byte[60 - frame.length],
                Arrays.copyOfRange(sent, frame.length, 60));
        nic.set(TCTL, TCTL_EN);
        nic.send(frame);
        assertEquals("without PSP the frame leaves as it is", frame.length, tap.next(2000).length);
    }

    @Test
    public void aFrameMayTakeSeveralDescriptors() throws Exception {
        byte[] frame = TestNic.frame(BROADCAST, ME, 300);
        int first = nic.queue(Arrays.copyOf(frame, 100), TDESC_CMD_IFCS);
        nic.queue(Arrays.copyOfRange(frame, 100, 250), TDESC_CMD_IFCS | TDESC_CMD_RS);
        int last = nic.queue(Arrays.copyOfRange(frame, 250, frame.length),
                TDESC_CMD_EOP | TDESC_CMD_IFCS | TDESC_CMD_RS);
        nic.set(TDT, nic.txNext);
        assertArrayEquals("3.3.3: buffers up to CMD.EOP make one frame", frame, tap.next(2000));
        nic.awaitTxDone(last);
        assertEquals("3.3.3.1: no DD without CMD.RS", 0,
                nic.txRing.buffer().get(first * DESCRIPTOR_SIZE + TDESC_STATUS) & TDESC_STATUS_DD);
    }

    @Test
    public void legacyChecksumInsertion() throws Exception {
        byte[] frame = TestNic.frame(BROADCAST, ME, 20);
        int index = nic.queue(frame, TDESC_CMD_EOP | TDESC_CMD_IFCS | TDESC_CMD_RS | TDESC_CMD_IC);
        ByteBuffer d = nic.txRing.buffer();
        d.put(index * DESCRIPTOR_SIZE + TDESC_CSS, (byte) 14);
        d.put(index * DESCRIPTOR_SIZE + TDESC_CSO, (byte) 14);
        frame[14] = 0;
        frame[15] = 0;
        nic.txBuffers.buffer().put(index * TestNic.TX_BUFFER, frame);
        nic.set(TDT, nic.txNext);
        byte[] sent = tap.next(2000);
        long sum = 0;
        for (int i = 14; i < frame.length; i += 2) {
            sum += (sent[i] & 0xFF) << 8 | (sent[i + 1] & 0xFF);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        assertEquals("3.3.3.1: CMD.IC inserts the one's complement sum from CSS at CSO", 0xFFFF, sum);
    }

    @Test
    public void transmitStatisticsClearOnRead() throws Exception {
        for (int i = 0; i < 3; i++) {
            nic.send(TestNic.frame(BROADCAST, ME, 86));
            tap.next(2000);
        }
        nic.send(TestNic.frame(TestNic.mac("01:00:5e:00:00:01"), ME, 86));
        assertEquals("13.7: GPTC counts good packets transmitted", 4, nic.get(GPTC));
        assertEquals("13.7: GPTC is cleared on read", 0, nic.get(GPTC));
        assertEquals("13.7: TPT counts every packet", 4, nic.get(TPT));
        assertEquals("13.7: BPTC counts broadcasts", 3, nic.get(BPTC));
        assertEquals("13.7: MPTC counts multicasts", 1, nic.get(MPTC));
        assertEquals("13.7: PTC127 counts 65-127 byte packets (with FCS)", 4, nic.get(PTC127));
        assertEquals("13.7.32: GOTCL counts octets with the FCS", 4 * (100 + 4), nic.get(GOTCL));
        assertEquals("13.7.32: reading GOTCL does not clear it", 4 * (100 + 4), nic.get(GOTCL));
        assertEquals("13.7.32: GOTCH", 0, nic.get(GOTCH));
        assertEquals("13.7.32: reading GOTCH clears the 64-bit counter", 0, nic.get(GOTCL));
        assertEquals("13.7.33: TOTL also counts", 4 * 104, nic.get(TOTL));
    }

    @Test
    public void nothingLeavesWhileTctlEnIsClear() throws Exception {
        nic.set(TCTL, 0);
        nic.queue(TestNic.frame(BROADCAST, ME, 50), TDESC_CMD_EOP | TDESC_CMD_RS);
        nic.set(TDT, nic.txNext);
        assertNull("13.4.33: TCTL.EN clear: the transmitter is stopped", tap.next(30));
        assertEquals("TDH did not move", 0, nic.get(TDH));
        nic.set(TCTL, TCTL_EN);
        assertEquals("setting TCTL.EN sends what TDT gave", 64, tap.next(2000).length);
    }

    @Test
    public void theTransmitUnitTakesNoDescriptorWhileTheLinkIsDownAndGoesOnWhenItIsBack() throws Exception {
        nics.last().backend().setCableConnected(false);
        nic.queue(TestNic.frame(BROADCAST, ME, 50), TDESC_CMD_EOP | TDESC_CMD_RS);
        nic.set(TDT, nic.txNext);
        assertNull("no link: the transmit DMA waits (Linux's e1000: the controller stops DMA)", tap.next(100));
        assertEquals("TDH did not move", 0, nic.get(TDH));
        assertEquals("no write-back", 0, nic.txRing.buffer().get(TDESC_STATUS) & TDESC_STATUS_DD);
        nics.last().backend().setCableConnected(true);
        assertEquals("the link is back: the frame goes", 64, tap.next(2000).length);
        nic.awaitTxDone(0);
    }

    /** Written by software only at initialization, with its unit off: done anyway, as silicon would, and counted. */
    @Test
    public void aHeadWrittenWhileItsUnitRunsIsCounted() throws Exception {
        E1000Model model = nics.last();
        long before = model.complaints();
        nic.set(TDH, 0); // the transmitter is on (TCTL.EN)
        assertEquals("TDH written with TCTL.EN set: " + model.lastComplaint(), before + 1, model.complaints());
        assertTrue(model.lastComplaint(), model.lastComplaint().startsWith("TDH written while TCTL.EN is set"));
        nic.set(RDH, 0); // and the receiver (RCTL.EN)
        assertEquals("RDH written with RCTL.EN set: " + model.lastComplaint(), before + 2, model.complaints());
    }

    @Test
    public void badRingLengthsAndIndicesAreRefusedWithoutAnException() throws Exception {
        E1000Model model = nics.last();
        nic.set(TDT, 16);
        assertEquals("13.4.40: TDT past the 16-descriptor ring is refused", 0, nic.get(TDT));
        nic.set(TDT, -1);
        nic.set(TDH, 70000);
        assertEquals("TDT and TDH keep their values", 0, nic.get(TDT) | nic.get(TDH));
        nic.set(TDLEN, 100);
        assertEquals("13.4.38: TDLEN bits 6:0 are dropped (read 0)", 0, nic.get(TDLEN));
        nic.set(TDLEN, 16 * DESCRIPTOR_SIZE);
        nic.set(RDLEN, 0x100_0000);
        assertEquals("13.4.27: RDLEN bits above 19 are dropped", 0, nic.get(RDLEN));
        assertTrue("each mistake is counted: " + model.lastComplaint(), model.complaints() >= 5);
        assertNull(tap.next(30));
        nic.send(TestNic.frame(BROADCAST, ME, 50));
        assertEquals("the NIC still works", 64, tap.next(2000).length);
    }

    @Test
    public void aDescriptorWithoutBufferIsSkippedAndCounted() throws Exception {
        int index = nic.queue(TestNic.frame(BROADCAST, ME, 50), TDESC_CMD_EOP | TDESC_CMD_RS);
        nic.txRing.buffer().putLong(index * DESCRIPTOR_SIZE, 0);
        nic.set(TDT, nic.txNext);
        nic.awaitTxDone(index);
        assertNull("nothing is sent for a buffer at address 0", tap.next(30));
        assertEquals("the bad descriptor is counted", 1, nics.last().badDescriptors());
        nic.send(TestNic.frame(BROADCAST, ME, 50));
        assertEquals("the next frame goes", 64, tap.next(2000).length);
    }

    @Test
    public void aRingOutsideMemoryStopsWithoutHangingOrThrowing() throws Exception {
        nic.set(TDBAL, 0x1000);
        nic.set(TDBAH, 0);
        nic.set(TDT, 3);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (nic.get(TDH) != 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals("an unreadable descriptor gives the ring back: TDH = TDT", 3, nic.get(TDH));
        assertTrue("the bus refused the DMA", nics.machine.dmaFaults(nic.function) > 0);
        assertNull(tap.next(30));
    }

    @Test
    public void theTxHangFaultStopsTheUnitAfterNFramesUntilCtrlRst() throws Exception {
        TestNic hanging = nics.plug(Nics.SLOT4, "mac=52:54:00:00:00:02", "tx-hang=2").up();
        byte[] from = TestNic.mac("52:54:00:00:00:02");
        for (int i = 0; i < 4; i++) {
            hanging.queue(TestNic.frame(BROADCAST, from, 60 + i), TDESC_CMD_EOP | TDESC_CMD_IFCS | TDESC_CMD_RS);
        }
        hanging.set(TDT, hanging.txNext);
        assertEquals(74, tap.next(2000).length);
        assertEquals(75, tap.next(2000).length);
        assertNull("the unit hung after two frames", tap.next(100));
        assertEquals("TDH stays at the first descriptor it did not send", 2, hanging.get(TDH));
        assertEquals("no write-back after the hang", 0,
                hanging.txRing.buffer().get(2 * DESCRIPTOR_SIZE + TDESC_STATUS) & TDESC_STATUS_DD);

        hanging.set(CTRL, CTRL_RST);
        hanging.up();
        hanging.send(TestNic.frame(BROADCAST, from, 50));
        assertEquals("after CTRL.RST and a new ring the unit sends again", 64, tap.next(2000).length);
        for (int i = 0; i < 5; i++) {
            hanging.send(TestNic.frame(BROADCAST, from, 50));
            assertEquals("the fault is armed once", 64, tap.next(2000).length);
        }
    }
}
