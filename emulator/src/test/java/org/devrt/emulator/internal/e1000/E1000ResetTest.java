package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.List;

import org.devrt.hw.RegisterIo;
import org.devrt.pci.BarInfo;
import org.devrt.pci.PciFunction;
import org.junit.After;
import org.junit.Test;

/** Identity, power-on values, CTRL.RST, the EEPROM (EERD and EECD bit-bang), the PHY and the I/O window. */
public class E1000ResetTest {
    private final Nics nics = new Nics();

    @After
    public void shutDown() {
        nics.close();
    }

    @Test
    public void identityIsThe82540EM() throws IOException {
        PciFunction f = nics.plug(Nics.SLOT3).function;
        assertEquals("8254x SDM 4.1 table 4-2: vendor", 0x8086, f.vendorId());
        assertEquals("82540EM device id", 0x100E, f.deviceId());
        assertEquals("class 02.00.00, Ethernet controller", 0x020000, f.classCode().value());
        assertEquals("subsystem vendor", 0x8086, f.subsystemVendorId());
        assertEquals("subsystem", 0x001E, f.subsystemId());
        assertEquals("INTA#", 1, f.interruptPin());
        List<BarInfo> bars = f.bars();
        assertEquals("BAR 0 is 32-bit memory", BarInfo.Kind.MEMORY32, bars.get(0).kind());
        assertEquals("BAR 0 is 128 KiB", 128 << 10, bars.get(0).size());
        assertEquals("BAR 1 is the I/O window", BarInfo.Kind.IO, bars.get(1).kind());
    }

    @Test
    public void withoutIoThereIsNoBar1() throws IOException {
        PciFunction f = nics.plug(Nics.SLOT3, "io=false").function;
        assertEquals(1, f.bars().size());
        assertThrows(IOException.class, () -> f.bar(1));
    }

    @Test
    public void powerOnValues() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3, "mac=52:54:00:12:34:56");
        assertEquals("8254x SDM 13.4.1: CTRL after power-on", 0, nic.get(CTRL));
        assertEquals("13.4.2: STATUS: FD and 1000 Mb/s from the PHY, LU clear until CTRL.SLU",
                STATUS_FD | STATUS_SPEED_1000, nic.get(STATUS));
        assertEquals("13.4.17: ICR is 0", 0, nic.get(ICR));
        assertEquals("13.4.20: IMS is 0 (every interrupt masked)", 0, nic.get(IMS));
        assertEquals("13.4.22: RCTL is 0 (receiver off)", 0, nic.get(RCTL));
        assertEquals("13.4.33: TCTL is 0 (transmitter off)", 0, nic.get(TCTL));
        for (int register : new int[] {RDBAL, RDBAH, RDLEN, RDH, RDT, TDBAL, TDBAH, TDLEN, TDH, TDT}) {
            assertEquals("13.4.25-13.4.40: ring register 0x" + Integer.toHexString(register) + " is 0", 0,
                    nic.get(register));
        }
        assertEquals("13.4.16: PBA", E1000Model.PBA_POWER_ON, nic.get(PBA));
        assertEquals("13.5.2: RAL0 is loaded from the EEPROM", 0x12005452, nic.get(RAL0));
        assertEquals("13.5.2: RAH0 is loaded from the EEPROM with AV set", RAH_AV | 0x5634, nic.get(RAH0));
        assertEquals("13.5.2: RAH1 is not valid", 0, nic.get(RAH0 + 8));
        assertEquals("13.5.1: MTA is cleared", 0, nic.get(MTA + 4 * 77));
        assertEquals("13.4.3: EECD shows the EEPROM present, CS low",
                EECD_EE_PRES, nic.get(EECD) & (EECD_EE_PRES | EECD_CS | EECD_EE_GNT));
    }

    @Test
    public void ctrlRstResetsTheDeviceAndClearsItself() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3).up();
        nic.set(IMS, ICR_RXT0 | ICR_LSC);
        nic.set(MTA, 0xFFFF);
        nic.set(ITR, 1000);
        nic.set(CTRL, nic.get(CTRL) | CTRL_RST);
        assertEquals("8254x SDM 13.4.1: CTRL.RST self-clears", 0, nic.get(CTRL) & CTRL_RST);
        assertEquals("13.4.1: a device reset clears RCTL (receive ring off)", 0, nic.get(RCTL));
        assertEquals("13.4.1: a device reset clears TCTL", 0, nic.get(TCTL));
        assertEquals("13.4.1: a device reset clears the rings", 0, nic.get(RDLEN) | nic.get(TDLEN) | nic.get(RDT));
        assertEquals("13.4.1: a device reset masks every interrupt", 0, nic.get(IMS));
        assertEquals("13.4.1: a device reset clears MTA", 0, nic.get(MTA));
        assertEquals("13.4.1: a device reset clears ITR", 0, nic.get(ITR));
        assertEquals("13.4.1: the link is down until SLU again", 0, nic.get(STATUS) & STATUS_LU);
        assertTrue("13.5.2: RAH0.AV after reset", (nic.get(RAH0) & RAH_AV) != 0);
    }

    @Test
    public void eerdReadsTheMacAndTheChecksumMakesBaba() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3, "mac=52:54:00:ab:cd:ef");
        assertArrayEquals("8254x SDM 5.6: words 0-2 hold the Ethernet address, low byte first",
                TestNic.mac("52:54:00:ab:cd:ef"), nic.eepromMac());
        int sum = 0;
        for (int word = 0; word <= EEPROM_CHECKSUM; word++) {
            sum += nic.eepromWord(word);
        }
        assertEquals("8254x SDM 5.6: words 00h-3Fh add up to BABAh", EEPROM_SUM, sum & 0xFFFF);
        assertEquals("table 5-2: word 0Dh is the device id", 0x100E, nic.eepromWord(EEPROM_DEVICE_ID));
        assertEquals("table 5-2: word 0Eh is the vendor id", 0x8086, nic.eepromWord(EEPROM_VENDOR_ID));
        assertEquals("table 5-2: word 0Bh is the subsystem id", 0x001E, nic.eepromWord(EEPROM_SUBSYSTEM_ID));
        nic.set(EERD, 5 << EERD_ADDR_SHIFT);
        assertEquals("13.4.4: without START nothing is read (DONE clear)", 5 << EERD_ADDR_SHIFT, nic.get(EERD));
    }

    @Test
    public void theDefaultMacFollowsThePciAddress() throws IOException {
        TestNic nic = nics.plug("00:07.0");
        assertArrayEquals("default address 52:54:00:<bus>:<device>:<function>", TestNic.mac("52:54:00:00:07:00"),
                nic.eepromMac());
    }

    @Test
    public void aMulticastOrMalformedMacIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> nics.plug(Nics.SLOT3, "mac=01:00:5e:00:00:01"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("option mac=01:00:5e:00:00:01 of model e1000"));
        assertThrows(IllegalArgumentException.class, () -> nics.plug(Nics.SLOT3, "mac=52:54"));
    }

    @Test
    public void eecdBitBangReadsTheSameWords() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3, "mac=52:54:00:ab:cd:ef");
        nic.set(EECD, EECD_EE_REQ);
        assertTrue("13.4.3: EE_GNT follows EE_REQ", (nic.get(EECD) & EECD_EE_GNT) != 0);
        for (int word = 0; word < 4; word++) {
            assertEquals("5.6 Microwire READ of word " + word, nic.eepromWord(word), microwireRead(nic, word));
        }
        nic.set(EECD, 0);
    }

    /** The 93C46 protocol: CS high, start bit and opcode 110b, six address bits, sixteen data bits out. */
    private static int microwireRead(TestNic nic, int address) {
        int base = EECD_EE_REQ | EECD_CS;
        nic.set(EECD, base);
        int command = 0b110 << 6 | address;
        for (int bit = 8; bit >= 0; bit--) {
            int di = (command >>> bit & 1) != 0 ? EECD_DI : 0;
            nic.set(EECD, base | di);
            nic.set(EECD, base | di | EECD_SK);
            nic.set(EECD, base | di);
        }
        int value = 0;
        for (int bit = 0; bit < 16; bit++) {
            nic.set(EECD, base | EECD_SK);
            value = value << 1 | ((nic.get(EECD) & EECD_DO) != 0 ? 1 : 0);
            nic.set(EECD, base);
        }
        nic.set(EECD, EECD_EE_REQ);
        return value;
    }

    @Test
    public void mdicReachesThePhy() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3);
        assertEquals("PHY identifier (OUI) through MDIC", 0x0141, mdicRead(nic, PID) & 0xFFFF);
        assertEquals("extended PHY identifier of the 82540EM", 0x0C20, mdicRead(nic, EPID) & 0xFFFF);
        assertTrue("PHY status shows the link (switch attached)", (mdicRead(nic, PSTATUS) & PSTATUS_LINK) != 0);
        nic.set(MDIC, 2 << MDIC_PHYADD_SHIFT | MDIC_OP_READ);
        assertEquals("13.4.7: another PHY address sets E and R", MDIC_E | MDIC_R, nic.get(MDIC) & (MDIC_E | MDIC_R));
        nic.set(MDIC, PHY_ADDRESS << MDIC_PHYADD_SHIFT | ANA << MDIC_REGADD_SHIFT | MDIC_OP_WRITE | 0x0061);
        assertEquals("a PHY write sticks", 0x0061, mdicRead(nic, ANA) & 0xFFFF);
        nic.set(IMS, ICR_MDAC);
        nic.set(MDIC, PHY_ADDRESS << MDIC_PHYADD_SHIFT | PID << MDIC_REGADD_SHIFT | MDIC_OP_READ | MDIC_I);
        assertEquals("13.4.7: MDIC.I raises ICR.MDAC", ICR_MDAC, nic.get(ICR) & ICR_MDAC);
    }

    private static int mdicRead(TestNic nic, int register) {
        nic.set(MDIC, PHY_ADDRESS << MDIC_PHYADD_SHIFT | register << MDIC_REGADD_SHIFT | MDIC_OP_READ);
        int value = nic.get(MDIC);
        assertTrue("13.4.7: MDIC.R after the access", (value & MDIC_R) != 0);
        return value;
    }

    @Test
    public void theIoWindowReachesEveryRegister() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3);
        RegisterIo io = nic.function.bar(E1000Model.IO_BAR);
        io.write32(IOADDR, RAL0);
        assertEquals("13.1.1: IODATA reads the register IOADDR names", nic.get(RAL0), io.read32(IODATA));
        io.write32(IOADDR, ITR);
        io.write32(IODATA, 0x1234);
        assertEquals("13.1.1: IODATA writes it", 0x1234, nic.get(ITR));
    }

    @Test
    public void unknownAndWriteOnlyRegistersReadZeroAndNothingBreaks() throws IOException {
        TestNic nic = nics.plug(Nics.SLOT3);
        for (int offset : new int[] {0x0004, 0x0E04, 0x8000, 0x1FFFC, ICS, IMC}) {
            nic.set(offset, -1);
            assertEquals("unknown or write-only 0x" + Integer.toHexString(offset) + " reads 0", 0, nic.get(offset));
        }
        nic.set(STATUS, 0);
        assertEquals("13.4.2: STATUS is read-only", STATUS_FD | STATUS_SPEED_1000, nic.get(STATUS));
    }
}
