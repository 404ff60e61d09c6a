package org.devrt.ethernet.e1000;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.devrt.device.MacAddress;
import org.devrt.hw.DeviceTimeoutException;
import org.devrt.hw.Registers;
import org.junit.Test;

/** EEPROM words through EERD (§13.4.4), the checksum and the Ethernet address (§5.6). */
public class EepromTest {
    @Test
    public void checksumIsTheSixteenBitSumOfWords0To3F() {
        int[] words = new int[64];
        words[0] = 0xFFFF;
        words[1] = 0x0002; // 0xFFFF + 2 wraps to 0x0001
        assertEquals(0x0001, Eeprom.checksum(words));
        words[0x3F] = 0xBAB9;
        assertEquals(0xBABA, Eeprom.checksum(words));
        assertTrue(Eeprom.checksumValid(words));
        words[5] = 1;
        assertFalse(Eeprom.checksumValid(words));
    }

    @Test
    public void ethernetAddressIsWords0To2LowByteFirst() {
        int[] words = new int[64];
        words[0] = 0x5452;
        words[1] = 0x1200;
        words[2] = 0x5634;
        assertEquals(MacAddress.parse("52:54:00:12:34:56"), Eeprom.ethernetAddress(words));
    }

    @Test
    public void readWordStartsAReadAndTakesTheDataFromBits31To16() throws Exception {
        FakeRegisters io = new FakeRegisters(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
        Registers regs = new Registers(io, E1000Regs.NAMES);
        assertEquals(0x5452, Eeprom.readWord(regs, 0));
        assertEquals(0x0F42, Eeprom.readWord(regs, 0x0A));
        int[] words = Eeprom.readWords(regs);
        assertEquals(64, words.length);
        assertTrue(Eeprom.checksumValid(words));
    }

    @Test
    public void aReadThatNeverCompletesTimesOutNamingEerdWithARegisterDump() {
        FakeRegisters io = new FakeRegisters(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
        io.eepromAnswers = false;
        Registers regs = new Registers(io, E1000Regs.NAMES);
        DeviceTimeoutException e = assertThrows(DeviceTimeoutException.class, () -> Eeprom.readWord(regs, 3));
        assertTrue(e.getMessage(), e.getMessage().contains("EERD(0x0014)"));
        assertTrue(e.registerDump(), e.registerDump().contains("STATUS"));
    }
}
