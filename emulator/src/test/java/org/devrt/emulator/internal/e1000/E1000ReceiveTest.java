package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The receive ring: storing frames, FCS and padding, running out of buffers, filters, statistics. */
public class E1000ReceiveTest {
    private static final byte[] ME = TestNic.mac("52:54:00:00:00:01");
    private static final byte[] OTHER = TestNic.mac("52:54:00:00:00:99");
    private static final byte[] PEER = TestNic.mac("52:54:00:00:00:02");
    private static final byte[] BROADCAST = TestNic.mac("ff:ff:ff:ff:ff:ff");
    private static final byte[] MDNS = TestNic.mac("01:00:5e:00:00:fb");

    private final Nics nics = new Nics();
    private Nics.Tap tap;
    private TestNic nic;

    @Before
    public void setUp() throws Exception {
        tap = nics.tap();
        nic = nics.plug(Nics.SLOT3, "mac=52:54:00:00:00:01");
    }

    @After
    public void shutDown() {
        nics.close();
    }

    private byte[] deliver(byte[] frame) {
        tap.send(frame);
        return nic.receive(1000);
    }

    /** Whether the frame was not stored; the switch delivers on the sender's thread, so a short wait will do. */
    private boolean filtered(byte[] frame) {
        tap.send(frame);
        return nic.receive(20) == null;
    }

    @Test
    public void aFrameLandsInTheRingWithItsFcs() throws Exception {
        nic.up();
        nic.get(ICR);
        byte[] frame = TestNic.frame(ME, PEER, 100);
        byte[] got = deliver(frame);
        assertNotNull("8254x SDM 3.2: a frame to our address is stored", got);
        assertEquals("13.4.22: without RCTL.SECRC the FCS is stored too", frame.length + 4, got.length);
        assertArrayEquals(frame, Arrays.copyOf(got, frame.length));
        CRC32 crc = new CRC32();
        crc.update(frame);
        assertEquals("the stored FCS is the frame's CRC-32", (int) crc.getValue(),
                ByteBuffer.wrap(got, frame.length, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        assertEquals("3.2.3.1: STATUS.DD, EOP, IXSM", RDESC_STATUS_DD | RDESC_STATUS_EOP | RDESC_STATUS_IXSM,
                nic.lastStatuses.get(0).intValue());
        assertEquals("13.4.28: RDH moved past the descriptor", 1, nic.get(RDH));
        assertEquals("13.4.17: ICR.RXT0", ICR_RXT0, nic.get(ICR) & ICR_RXT0);
    }

    @Test
    public void secrcStripsTheFcs() throws Exception {
        nic.up(16, 16, RCTL_SECRC);
        byte[] frame = TestNic.frame(ME, PEER, 100);
        assertArrayEquals("13.4.22: RCTL.SECRC strips the FCS", frame, deliver(frame));
    }

    @Test
    public void shortFramesArePaddedTo60Bytes() throws Exception {
        nic.up(16, 16, RCTL_SECRC);
        byte[] frame = TestNic.frame(ME, PEER, 28);
        byte[] got = deliver(frame);
        assertEquals("a frame is at least 60 bytes without FCS on the wire", 60, got.length);
        assertArrayEquals(new byte[60 - frame.length], Arrays.copyOfRange(got, frame.length, 60));
    }

    @Test
    public void aFrameSpansDescriptorsOfSmallBuffers() throws Exception {
        nic.up(16, 16, 3 << RCTL_BSIZE_SHIFT);
        byte[] frame = TestNic.frame(ME, PEER, 986);
        byte[] got = deliver(frame);
        assertEquals("13.4.22: BSIZE 11b is 256-byte buffers; 1004 bytes take 4", 4, nic.rxNext);
        assertArrayEquals(frame, Arrays.copyOf(got, frame.length));
        assertEquals("3.2.3.1: no EOP on the first descriptors", RDESC_STATUS_DD | RDESC_STATUS_IXSM,
                nic.lastStatuses.get(0).intValue());
        assertEquals("3.2.3.1: EOP on the last", RDESC_STATUS_DD | RDESC_STATUS_EOP | RDESC_STATUS_IXSM,
                nic.lastStatuses.get(3).intValue());
    }

    @Test
    public void noBuffersDropsTheFrameAndCountsIt() throws Exception {
        nic.up();
        nic.set(RDT, 0);
        nic.get(ICR);
        tap.send(TestNic.frame(ME, PEER, 100));
        assertNull("8254x SDM 3.2.6: RDH == RDT: the device owns no buffer", nic.receive(20));
        assertEquals("13.7.5: MPC counts the missed packet", 1, nic.get(MPC));
        assertEquals("13.7.33: RNBC counts receives without buffers", 1, nic.get(RNBC));
        assertEquals("13.4.17: ICR.RXO", ICR_RXO, nic.get(ICR) & ICR_RXO);
        assertEquals("13.7: MPC is cleared on read", 0, nic.get(MPC));
    }

    @Test
    public void nothingIsStoredWhileRctlEnIsClear() throws Exception {
        nic.up();
        nic.set(RCTL, 0);
        tap.send(TestNic.frame(ME, PEER, 100));
        assertNull("13.4.22: RCTL.EN clear", nic.receive(20));
        assertEquals("no count while receive is off", 0, nic.get(TPR) | nic.get(MPC));
    }

    @Test
    public void unicastFilter() throws Exception {
        nic.up(16, 16, RCTL_SECRC);
        assertTrue("3.2.1: another unicast address is filtered out", filtered(TestNic.frame(OTHER, PEER, 50)));
        nic.set(RAL0 + 8, 0x00005452);
        nic.set(RAH0 + 8, RAH_AV | 0x9900);
        assertNotNull("13.5.2: RAL1/RAH1 with AV add an exact match", deliver(TestNic.frame(OTHER, PEER, 50)));
        nic.set(RAH0 + 8, 0x9900);
        assertTrue("13.5.2: without AV the entry is ignored", filtered(TestNic.frame(OTHER, PEER, 50)));
        nic.set(RCTL, nic.get(RCTL) | RCTL_UPE);
        assertNotNull("13.4.22: RCTL.UPE takes every unicast", deliver(TestNic.frame(OTHER, PEER, 50)));
    }

    @Test
    public void broadcastNeedsBam() throws Exception {
        nic.up(16, 16, RCTL_SECRC);
        assertNotNull("13.4.22: RCTL.BAM accepts broadcast", deliver(TestNic.frame(BROADCAST, PEER, 50)));
        nic.set(RCTL, nic.get(RCTL) & ~RCTL_BAM);
        assertTrue("without BAM broadcast is filtered out", filtered(TestNic.frame(BROADCAST, PEER, 50)));
    }

    @Test
    public void multicastGoesThroughTheHashTable() throws Exception {
        nic.up(16, 16, RCTL_SECRC);
        assertTrue("13.5.1: multicast with its MTA bit clear is filtered out", filtered(TestNic.frame(MDNS, PEER, 50)));
        int hash = ((MDNS[5] & 0xFF) << 8 | (MDNS[4] & 0xFF)) >>> 4;
        nic.set(MTA + 4 * (hash >>> 5), 1 << (hash & 31));
        assertNotNull("13.5.1: RCTL.MO 00b hashes address bits 47:36 into the MTA",
                deliver(TestNic.frame(MDNS, PEER, 50)));
        nic.set(RCTL, nic.get(RCTL) | 1 << RCTL_MO_SHIFT);
        assertTrue("13.4.22: RCTL.MO 01b takes bits 46:35: another bit", filtered(TestNic.frame(MDNS, PEER, 50)));
        nic.set(RCTL, nic.get(RCTL) | RCTL_MPE);
        assertNotNull("13.4.22: RCTL.MPE takes every multicast", deliver(TestNic.frame(MDNS, PEER, 50)));
    }

    @Test
    public void longFramesNeedLpe() throws Exception {
        nic.up(16, 16, RCTL_SECRC);
        tap.send(TestNic.frame(ME, PEER, 1600));
        assertNull("13.4.22: without RCTL.LPE a frame over 1522 bytes (with FCS) is dropped", nic.receive(20));
        assertEquals("13.7: ROC counts it", 1, nic.get(ROC));
        nic.set(RCTL, nic.get(RCTL) | RCTL_LPE);
        assertEquals("with LPE it spans two 2048-byte buffers", 1614, deliver(TestNic.frame(ME, PEER, 1600)).length);
    }

    @Test
    public void receiveStatisticsClearOnRead() throws Exception {
        nic.up(16, 16, RCTL_SECRC);
        deliver(TestNic.frame(ME, PEER, 100));
        deliver(TestNic.frame(BROADCAST, PEER, 100));
        filtered(TestNic.frame(OTHER, PEER, 100));
        assertEquals("13.7: TPR counts every packet received", 3, nic.get(TPR));
        assertEquals("13.7: GPRC counts the packets that passed the filters", 2, nic.get(GPRC));
        assertEquals("13.7: GPRC is cleared on read", 0, nic.get(GPRC));
        assertEquals("13.7: BPRC", 1, nic.get(BPRC));
        assertEquals("13.7: PRC127: 65-127 bytes with FCS", 2, nic.get(PRC127));
        assertEquals("13.7.31: GORCL counts octets with the FCS", 2 * 118, nic.get(GORCL));
        assertEquals("13.7.31: GORCH", 0, nic.get(GORCH));
        assertEquals("13.7.31: reading GORCH cleared GORCL", 0, nic.get(GORCL));
        assertEquals("13.7: CRCERRS: frames from the backend are never bad", 0, nic.get(CRCERRS));
    }

    @Test
    public void rxdmt0WhenFewDescriptorsAreLeft() throws Exception {
        nic.up(8, 8, RCTL_SECRC);
        nic.get(ICR);
        for (int i = 0; i < 3; i++) {
            tap.send(TestNic.frame(ME, PEER, 50));
        }
        assertEquals("13.4.17: RDMTS 00b: RXDMT0 once half or fewer descriptors are free", ICR_RXDMT0,
                nic.get(ICR) & ICR_RXDMT0);
    }

    @Test
    public void aFrameWithABadFcsIsCountedInCrcerrsAndNotStored() throws Exception {
        nic.up(16, 16, RCTL_SECRC);
        nics.last().badFcsEvery(2);
        filtered(TestNic.frame(OTHER, PEER, 100)); // filtered out: not counted, not the second frame
        for (int i = 0; i < 4; i++) {
            tap.send(TestNic.frame(ME, PEER, 50 + i));
        }
        assertEquals("the first frame", 64, nic.receive(1000).length);
        assertEquals("the third: the second had a bad FCS and RCTL.SBP is clear (13.4.22)", 66,
                nic.receive(1000).length);
        assertNull("the fourth had a bad FCS too", nic.receive(20));
        assertEquals("13.7.1: CRCERRS counts them once they pass the address filter", 2, nic.get(CRCERRS));
        assertEquals("13.7: they are no good packets", 2, nic.get(GPRC));
    }

    @Test
    public void withSbpAFrameWithABadFcsIsStoredWithCeAndItsFcs() throws Exception {
        nic.up(16, 16, RCTL_SBP);
        nics.last().badFcsEvery(1);
        byte[] frame = TestNic.frame(ME, PEER, 100);
        byte[] got = deliver(frame);
        assertNotNull("13.4.22: RCTL.SBP stores bad packets", got);
        assertArrayEquals(frame, Arrays.copyOf(got, frame.length));
        CRC32 crc = new CRC32();
        crc.update(frame);
        assertNotEquals("the stored FCS is not the frame's CRC-32", (int) crc.getValue(),
                ByteBuffer.wrap(got, frame.length, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        assertEquals("3.2.3.2: ERRORS.CE", RDESC_ERRORS_CE, nic.rxErrors(0));
        assertEquals(1, nic.get(CRCERRS));
        assertEquals(0, nic.get(GPRC));
    }

    @Test
    public void aDescriptorWithoutBufferIsSkipped() throws Exception {
        nic.up(16, 16, RCTL_SECRC);
        nic.rxRing.buffer().putLong(0, 0);
        tap.send(TestNic.frame(ME, PEER, 50));
        assertEquals("skipped: DD, no data", RDESC_STATUS_DD | RDESC_STATUS_IXSM, nic.rxStatus(0));
        assertEquals("the frame went into the next one", RDESC_STATUS_DD | RDESC_STATUS_EOP | RDESC_STATUS_IXSM,
                nic.rxStatus(1));
        assertEquals(1, nics.last().badDescriptors());
    }

    @Test
    public void aBufferOutsideTheDriversMemoryGetsRxe() throws Exception {
        nic.up(16, 16, RCTL_SECRC);
        nic.rxRing.buffer().putLong(0, 0x1000);
        tap.send(TestNic.frame(ME, PEER, 50));
        assertEquals("3.2.3.2: ERRORS.RXE", RDESC_ERRORS_RXE, nic.rxErrors(0));
        assertTrue("the bus refused the DMA", nics.machine.dmaFaults(nic.function) > 0);
        assertEquals("not a good packet", 0, nic.get(GPRC));
    }

    @Test
    public void rdtPastTheRingIsRefused() throws Exception {
        nic.up();
        nic.set(RDT, 16);
        assertEquals("13.4.29: RDT keeps its value", 15, nic.get(RDT));
        assertNotNull("receive still works", deliver(TestNic.frame(ME, PEER, 50)));
    }
}
