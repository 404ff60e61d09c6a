package org.devrt.ethernet.e1000;

import static org.devrt.ethernet.e1000.E1000Regs.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;

import org.devrt.device.MacAddress;
import org.devrt.hw.DeviceTimeoutException;
import org.devrt.hw.Registers;
import org.junit.Test;

/** The register values bring-up leaves, checked against chapter 14 bit by bit. */
public class E1000InitTest {
    private final FakeRegisters io = new FakeRegisters(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
    private final Registers regs = new Registers(io, NAMES);
    private final FakeDma dma = new FakeDma(4 << 20);

    private MacAddress bringUp() throws IOException {
        try (Ring rx = Ring.allocate(dma, 16); Ring tx = Ring.allocate(dma, 32)) {
            MacAddress mac = E1000Init.resetAndInit(regs, null, rx, tx, "test");
            // §14.4: RDBA is the ring's bus address, RDLEN its bytes, head 0, tail one before the head.
            assertEquals((int) rx.descriptors.physicalAddress(), io.get(RDBAL));
            assertEquals((int) (rx.descriptors.physicalAddress() >>> 32), io.get(RDBAH));
            assertEquals(16 * 16, io.get(RDLEN));
            assertEquals(0, io.get(RDH));
            assertEquals(15, io.get(RDT));
            for (int i = 0; i < 16; i++) {
                assertEquals("RX descriptor " + i + " buffer", rx.bufferAddress(i), rx.desc.getLong(16 * i));
                assertEquals("RX descriptor " + i + " status", 0, Descriptors.rxStatus(rx.desc, i));
            }
            // §14.5: TDBA, TDLEN, empty ring.
            assertEquals((int) tx.descriptors.physicalAddress(), io.get(TDBAL));
            assertEquals(32 * 16, io.get(TDLEN));
            assertEquals(0, io.get(TDH));
            assertEquals(0, io.get(TDT));
            return mac;
        }
    }

    @Test
    public void bringUpReadsTheMacFromTheEepromAndProgramsReceiveAddressZeroValid() throws IOException {
        assertEquals(MacAddress.parse("52:54:00:12:34:56"), bringUp());
        assertEquals(0x1200_5452, io.get(RAL0));
        assertEquals(0x8000_5634, io.get(RAH0)); // AV is bit 31
    }

    @Test
    public void bringUpSetsLinkUpWithAutoSpeedDetectionAndNothingForced() throws IOException {
        bringUp();
        int ctrl = io.get(CTRL);
        assertEquals("SLU and ASDE set, RST clear", CTRL_SLU | CTRL_ASDE, ctrl
                & (CTRL_SLU | CTRL_ASDE | CTRL_RST | CTRL_FRCSPD | CTRL_FRCDPLX | CTRL_ILOS | CTRL_PHY_RST | CTRL_LRST));
    }

    @Test
    public void receiveControlEnablesBroadcast2048ByteBuffersAndCrcStrippingOnly() throws IOException {
        bringUp();
        // EN (bit 1) | BAM (bit 15) | BSIZE 00 | SECRC (bit 26)
        assertEquals(0x0400_8002, io.get(RCTL));
        for (int i = 0; i < MTA_COUNT; i++) {
            assertEquals("MTA[" + i + "]", 0, io.get(MTA + 4 * i));
        }
    }

    @Test
    public void transmitControlPadsShortFramesWithIeeeCollisionSettingsAndGap() throws IOException {
        bringUp();
        // EN (bit 1) | PSP (bit 3) | CT 0x0F at bits 11:4 | COLD 0x40 at bits 21:12
        assertEquals(0x0004_00FA, io.get(TCTL));
        // IPGT 10, IPGR1 8 at bits 19:10, IPGR2 6 at bits 29:20
        assertEquals(0x0060_200A, io.get(TIPG));
    }

    @Test
    public void interruptsForReceiveAndLinkButNotTransmitDoneAreUnmaskedLast() throws IOException {
        bringUp();
        assertEquals("TXDW is not enabled: sent descriptors are reclaimed without it",
                INT_RXT0 | INT_RXO | INT_RXDMT0 | INT_LSC, io.get(IMS));
        assertEquals(0xD4, io.get(IMS));
    }

    @Test
    public void aBadEepromChecksumIsOnlyAWarning() throws IOException {
        io.eeprom[0x20] ^= 0x0100;
        assertEquals(MacAddress.parse("52:54:00:12:34:56"), bringUp());
    }

    @Test
    public void aMulticastAddressInTheEepromFailsBringUp() {
        io.eeprom[0] = 0x5453; // first byte 0x53: group bit set
        io.fixChecksum();
        IOException e = assertThrows(IOException.class, this::bringUp);
        assertTrue(e.getMessage(), e.getMessage().contains("53:54:00:12:34:56"));
    }

    @Test
    public void anEepromThatNeverAnswersFailsBringUpWithATimeout() {
        io.eepromAnswers = false;
        assertThrows(DeviceTimeoutException.class, this::bringUp);
    }
}
