package org.devrt.ethernet.e1000;

import static org.devrt.ethernet.e1000.E1000Regs.EEPROM_CHECKSUM;
import static org.devrt.ethernet.e1000.E1000Regs.EEPROM_CHECKSUM_WORD;
import static org.devrt.ethernet.e1000.E1000Regs.EEPROM_ETHERNET_ADDRESS;
import static org.devrt.ethernet.e1000.E1000Regs.EERD;
import static org.devrt.ethernet.e1000.E1000Regs.EERD_ADDR_SHIFT;
import static org.devrt.ethernet.e1000.E1000Regs.EERD_DATA_SHIFT;
import static org.devrt.ethernet.e1000.E1000Regs.EERD_DONE;
import static org.devrt.ethernet.e1000.E1000Regs.EERD_START;

import java.time.Duration;

import org.devrt.device.MacAddress;
import org.devrt.hw.DeviceTimeoutException;
import org.devrt.hw.Registers;

/** The EEPROM, read word by word through EERD (§13.4.4), and what its first 64 words mean (§5.6). */
final class Eeprom {
    /** Words 00h-3Fh: the part the checksum covers, and all this driver reads. */
    static final int WORDS = EEPROM_CHECKSUM_WORD + 1;
    /** A read takes microseconds on silicon; this bound only catches a device that never answers. */
    static final Duration READ_TIMEOUT = Duration.ofMillis(50);

    private Eeprom() {
    }

    /**
     * Reads one 16-bit word: write the address with START, wait for DONE, take the data from bits 31:16.
     *
     * @throws DeviceTimeoutException if DONE does not come within {@link #READ_TIMEOUT}
     */
    static int readWord(Registers regs, int address) throws DeviceTimeoutException {
        regs.set(EERD, EERD_START | (address << EERD_ADDR_SHIFT));
        int eerd = regs.waitSet(EERD, EERD_DONE, READ_TIMEOUT);
        return eerd >>> EERD_DATA_SHIFT;
    }

    /** Reads words 00h-3Fh. */
    static int[] readWords(Registers regs) throws DeviceTimeoutException {
        int[] words = new int[WORDS];
        for (int i = 0; i < WORDS; i++) {
            words[i] = readWord(regs, i);
        }
        return words;
    }

    /** The 16-bit sum of words 00h-3Fh, which a valid EEPROM makes {@code BABAh}. */
    static int checksum(int[] words) {
        int sum = 0;
        for (int i = 0; i < WORDS; i++) {
            sum += words[i];
        }
        return sum & 0xffff;
    }

    static boolean checksumValid(int[] words) {
        return checksum(words) == EEPROM_CHECKSUM;
    }

    /** The Ethernet address in words 00h-02h, low byte of each word first. */
    static MacAddress ethernetAddress(int[] words) {
        byte[] mac = new byte[6];
        for (int i = 0; i < 3; i++) {
            int word = words[EEPROM_ETHERNET_ADDRESS + i];
            mac[2 * i] = (byte) word;
            mac[2 * i + 1] = (byte) (word >>> 8);
        }
        return MacAddress.of(mac);
    }
}
