package org.devrt.ethernet.e1000;

import static org.devrt.ethernet.e1000.E1000Regs.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.devrt.hw.HandleRevokedException;
import org.devrt.hw.RegisterIo;

/**
 * A register file for driver unit tests, not a device model: it does only what bring-up needs to finish
 * (CTRL.RST clears itself, EERD answers from an EEPROM image, ICR clears on read) and records the writes to
 * the doorbells. No DMA happens: tests play the device by writing descriptors themselves.
 */
final class FakeRegisters implements RegisterIo {
    final int[] values = new int[0x20000 / 4];
    final int[] eeprom = new int[64];
    final List<Integer> tdtWrites = new CopyOnWriteArrayList<>();
    final List<Integer> rdtWrites = new CopyOnWriteArrayList<>();
    volatile boolean eepromAnswers = true;
    /** Whether TDT and RDT writes are recorded (off when measuring allocation: the lists allocate). */
    volatile boolean recordDoorbells = true;
    volatile boolean revoked;
    /** Run at each global reset (a CTRL write with RST). */
    volatile Runnable onReset;

    FakeRegisters(int... mac) {
        eeprom[0] = mac[0] | mac[1] << 8;
        eeprom[1] = mac[2] | mac[3] << 8;
        eeprom[2] = mac[4] | mac[5] << 8;
        eeprom[0x0A] = 0x0F42; // some other content, as a real image has
        fixChecksum();
        values[STATUS / 4] = STATUS_FD | STATUS_LU | (2 << STATUS_SPEED_SHIFT);
    }

    /** Makes words 00h-3Fh sum to BABAh, as §5.6 asks of word 3Fh. */
    void fixChecksum() {
        int sum = 0;
        for (int i = 0; i < EEPROM_CHECKSUM_WORD; i++) {
            sum += eeprom[i];
        }
        eeprom[EEPROM_CHECKSUM_WORD] = (EEPROM_CHECKSUM - sum) & 0xffff;
    }

    @Override
    public long size() {
        return values.length * 4L;
    }

    @Override
    public synchronized int read32(int offset) {
        check();
        int v = values[offset / 4];
        if (offset == ICR) {
            values[offset / 4] = 0;
        }
        return v;
    }

    @Override
    public synchronized void write32(int offset, int value) {
        check();
        switch (offset) {
            case CTRL -> {
                values[CTRL / 4] = value & ~CTRL_RST;
                Runnable reset = onReset;
                if ((value & CTRL_RST) != 0 && reset != null) {
                    reset.run();
                }
            }
            case EERD -> {
                int address = (value >>> EERD_ADDR_SHIFT) & 0xff;
                values[EERD / 4] = eepromAnswers && (value & EERD_START) != 0
                        ? (eeprom[address] << EERD_DATA_SHIFT) | EERD_DONE | (address << EERD_ADDR_SHIFT)
                        : value & ~EERD_DONE;
            }
            case IMS -> values[IMS / 4] |= value;
            case IMC -> values[IMS / 4] &= ~value;
            case TDT -> {
                if (recordDoorbells) {
                    tdtWrites.add(value);
                }
                values[TDT / 4] = value;
            }
            case RDT -> {
                if (recordDoorbells) {
                    rdtWrites.add(value);
                }
                values[RDT / 4] = value;
            }
            default -> values[offset / 4] = value;
        }
    }

    synchronized int get(int offset) {
        return values[offset / 4];
    }

    /** Latches interrupt causes, as the device would; the test then fires the line. */
    synchronized void cause(int bits) {
        values[ICR / 4] |= bits;
    }

    synchronized void setStatus(int status) {
        values[STATUS / 4] = status;
    }

    private void check() {
        if (revoked) {
            throw new HandleRevokedException("register window revoked");
        }
    }
}
