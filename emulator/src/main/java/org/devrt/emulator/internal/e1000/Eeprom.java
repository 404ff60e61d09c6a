package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.EECD_CS;
import static org.devrt.emulator.internal.e1000.E1000Registers.EECD_DI;
import static org.devrt.emulator.internal.e1000.E1000Registers.EECD_DO;
import static org.devrt.emulator.internal.e1000.E1000Registers.EECD_EE_GNT;
import static org.devrt.emulator.internal.e1000.E1000Registers.EECD_EE_PRES;
import static org.devrt.emulator.internal.e1000.E1000Registers.EECD_EE_REQ;
import static org.devrt.emulator.internal.e1000.E1000Registers.EECD_FWE_MASK;
import static org.devrt.emulator.internal.e1000.E1000Registers.EECD_SK;
import static org.devrt.emulator.internal.e1000.E1000Registers.EEPROM_CHECKSUM;
import static org.devrt.emulator.internal.e1000.E1000Registers.EEPROM_DEVICE_ID;
import static org.devrt.emulator.internal.e1000.E1000Registers.EEPROM_ETHERNET_ADDRESS;
import static org.devrt.emulator.internal.e1000.E1000Registers.EEPROM_INIT_CONTROL_1;
import static org.devrt.emulator.internal.e1000.E1000Registers.EEPROM_INIT_CONTROL_2;
import static org.devrt.emulator.internal.e1000.E1000Registers.EEPROM_SUBSYSTEM_ID;
import static org.devrt.emulator.internal.e1000.E1000Registers.EEPROM_SUBSYSTEM_VENDOR_ID;
import static org.devrt.emulator.internal.e1000.E1000Registers.EEPROM_SUM;
import static org.devrt.emulator.internal.e1000.E1000Registers.EEPROM_VENDOR_ID;
import static org.devrt.emulator.internal.e1000.E1000Registers.EEPROM_WORDS;
import static org.devrt.emulator.internal.e1000.E1000Registers.EERD_ADDR_MASK;
import static org.devrt.emulator.internal.e1000.E1000Registers.EERD_ADDR_SHIFT;
import static org.devrt.emulator.internal.e1000.E1000Registers.EERD_DATA_SHIFT;
import static org.devrt.emulator.internal.e1000.E1000Registers.EERD_DONE;
import static org.devrt.emulator.internal.e1000.E1000Registers.EERD_START;

import java.util.Arrays;

import org.devrt.device.MacAddress;
import org.devrt.emulator.internal.model.ModelIdentity;

/**
 * The 82540EM's 64-word Microwire EEPROM (8254x SDM 5.6, table 5-2): the Ethernet address in words 00h-02h, the
 * PCI ids in 0Bh-0Eh, erased words (FFFFh) elsewhere, and the checksum in 3Fh so that words 00h-3Fh add up to
 * BABAh. Two ways in: EERD (13.4.4), which completes at once, and bit-banging EECD (13.4.3: SK, CS, DI, DO, with
 * EE_REQ granted at once) in the 93C46 protocol: start bit, opcode 10b (READ), six address bits, then sixteen data
 * bits per word, most significant first, continuing into the next word for as long as CS stays high. Writes
 * through EECD are not modelled. Not thread-safe: the model's lock guards it.
 */
final class Eeprom {
    /** The READ opcode with its start bit: 110b. */
    private static final int READ = 0b110;
    private static final int ADDRESS_BITS = 6;
    private static final int COMMAND_BITS = 3 + ADDRESS_BITS;
    private static final int EECD_WRITABLE = EECD_SK | EECD_CS | EECD_DI | EECD_FWE_MASK | EECD_EE_REQ;

    private final int[] words = new int[EEPROM_WORDS];
    private int eecd;
    private int shifted;
    private int bitsIn;
    private boolean reading;
    /** The bit DO shows while reading: 16 * word + (15 - bit); -1 is the dummy 0 before the first. */
    private int bitOut;

    Eeprom(MacAddress mac, ModelIdentity identity) {
        Arrays.fill(words, 0xFFFF);
        for (int i = 0; i < 3; i++) {
            words[EEPROM_ETHERNET_ADDRESS + i] = mac.get(2 * i) | mac.get(2 * i + 1) << 8;
        }
        words[EEPROM_INIT_CONTROL_1] = 0;
        words[EEPROM_SUBSYSTEM_ID] = identity.subsystemId();
        words[EEPROM_SUBSYSTEM_VENDOR_ID] = identity.subsystemVendorId();
        words[EEPROM_DEVICE_ID] = identity.deviceId();
        words[EEPROM_VENDOR_ID] = identity.vendorId();
        words[EEPROM_INIT_CONTROL_2] = 0;
        int sum = 0;
        for (int i = 0; i < EEPROM_CHECKSUM; i++) {
            sum += words[i];
        }
        words[EEPROM_CHECKSUM] = (EEPROM_SUM - sum) & 0xFFFF;
    }

    int word(int index) {
        return words[index];
    }

    /** Power-on: CS low, nothing shifted. */
    void reset() {
        eecd = 0;
        shifted = 0;
        bitsIn = 0;
        reading = false;
        bitOut = 0;
    }

    /**
     * EERD after a write of {@code value}: with START, the read completes at once (DONE, DATA; START reads 0); a
     * word past the EEPROM reads FFFFh. Without START, ADDR is kept and DONE and DATA read 0.
     */
    int eerd(int value) {
        int address = (value & EERD_ADDR_MASK) >>> EERD_ADDR_SHIFT;
        if ((value & EERD_START) == 0) {
            return value & EERD_ADDR_MASK;
        }
        int data = address < EEPROM_WORDS ? words[address] : 0xFFFF;
        return data << EERD_DATA_SHIFT | address << EERD_ADDR_SHIFT | EERD_DONE;
    }

    /** EECD as read: the bits last written, EE_GNT while EE_REQ, EE_PRES, and DO from the Microwire shifter. */
    int readEecd() {
        int value = eecd | EECD_EE_PRES;
        if ((eecd & EECD_EE_REQ) != 0) {
            value |= EECD_EE_GNT;
        }
        if (dataOut()) {
            value |= EECD_DO;
        }
        return value;
    }

    void writeEecd(int value) {
        int before = eecd;
        eecd = value & EECD_WRITABLE;
        if ((eecd & EECD_CS) == 0) {
            shifted = 0;
            bitsIn = 0;
            reading = false;
            return;
        }
        boolean rising = (before & EECD_SK) == 0 && (eecd & EECD_SK) != 0;
        boolean falling = (before & EECD_SK) != 0 && (eecd & EECD_SK) == 0;
        if (reading) {
            if (falling) {
                bitOut++;
            }
        } else if (rising) {
            shifted = shifted << 1 | ((eecd & EECD_DI) != 0 ? 1 : 0);
            if (++bitsIn == COMMAND_BITS && shifted >>> ADDRESS_BITS == READ) {
                reading = true;
                bitOut = (shifted & ((1 << ADDRESS_BITS) - 1)) * 16 - 1;
            }
        }
    }

    /** DO: the current data bit while reading (the dummy bit reads 0), else 1 (ready). */
    private boolean dataOut() {
        if (!reading) {
            return true;
        }
        if (bitOut < 0) {
            return false;
        }
        int word = words[(bitOut >>> 4) % EEPROM_WORDS];
        return (word >>> (15 - (bitOut & 15)) & 1) != 0;
    }
}
