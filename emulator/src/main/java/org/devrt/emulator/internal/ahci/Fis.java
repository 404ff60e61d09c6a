package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_MAX_SECTORS_EXT;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_H2D_C;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_I;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_PIO_D;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_PIO_SETUP_LENGTH;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_REG_D2H_LENGTH;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_SET_DEVICE_BITS_LENGTH;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_TYPE_PIO_SETUP;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_TYPE_REG_D2H;
import static org.devrt.emulator.internal.ahci.AhciRegs.FIS_TYPE_SET_DEVICE_BITS;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The FISes the model reads and writes (Serial ATA 2.6, FIS types): the H2D Register FIS of a command, parsed into its
 * ATA registers, and the D2H Register, PIO Setup and Set Device Bits FISes the device sends back, built into the
 * bytes the HBA posts in the received-FIS area.
 */
final class Fis {
    private Fis() {
    }

    /**
     * The ATA registers of a H2D Register: byte 1 bit 7 C, 2 Command, 3 Features 7:0, 4-6 LBA 23:0,
     * 7 Device, 8-10 LBA 47:24, 11 Features 15:8, 12-13 Count, 15 Control.
     */
    record H2d(boolean commandUpdate, int command, int features, long lba, int device, int count, int control) {
        static H2d parse(ByteBuffer fis) {
            ByteBuffer b = fis.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            long lba = (b.get(4) & 0xffL) | (b.get(5) & 0xffL) << 8 | (b.get(6) & 0xffL) << 16
                    | (b.get(8) & 0xffL) << 24 | (b.get(9) & 0xffL) << 32 | (b.get(10) & 0xffL) << 40;
            return new H2d((b.get(1) & FIS_H2D_C) != 0, b.get(2) & 0xff, (b.get(3) & 0xff) | (b.get(11) & 0xff) << 8,
                    lba, b.get(7) & 0xff, b.getShort(12) & 0xffff, b.get(15) & 0xff);
        }

        /** Sectors of a 48-bit command: Count, where 0 means 65536 (ATA8-ACS READ/WRITE DMA EXT). */
        int sectors() {
            return count == 0 ? ATA_MAX_SECTORS_EXT : count;
        }

        /** Sectors of an NCQ command: Features, where 0 means 65536 (ATA8-ACS). */
        int queuedSectors() {
            return features == 0 ? ATA_MAX_SECTORS_EXT : features;
        }

        /** The NCQ tag: Count bits 7:3. */
        int tag() {
            return count >>> 3 & 0x1f;
        }
    }

    /** D2H Register: the status at the end of a command, with the I bit when it interrupts. */
    static ByteBuffer d2h(int status, int error, long lba, int count, boolean interrupt) {
        ByteBuffer b = fis(FIS_REG_D2H_LENGTH, FIS_TYPE_REG_D2H, interrupt ? FIS_I : 0, status, error);
        putLba(b, lba);
        b.putShort(12, (short) count);
        return b;
    }

    /**
     * PIO Setup FIS of a PIO data-in command: Status shows DRQ while the data goes, E_Status (byte 15)
     * is the status after it, and the transfer count (bytes 16-17) is what one DRQ block holds.
     */
    static ByteBuffer pioSetupIn(int status, int endStatus, int transferCount) {
        ByteBuffer b = fis(FIS_PIO_SETUP_LENGTH, FIS_TYPE_PIO_SETUP, FIS_I | FIS_PIO_D, status, 0);
        b.put(15, (byte) endStatus);
        b.putShort(16, (short) transferCount);
        return b;
    }

    /**
     * Set Device Bits FIS that completes NCQ commands: Status bits 6:4 and 2:0 in byte 2, Error in
     * byte 3, SActive bits of the finished tags in bytes 4-7.
     */
    static ByteBuffer setDeviceBits(int status, int error, int sactive, boolean interrupt) {
        ByteBuffer b = fis(FIS_SET_DEVICE_BITS_LENGTH, FIS_TYPE_SET_DEVICE_BITS, interrupt ? FIS_I : 0,
                status & 0x77, error);
        b.putInt(4, sactive);
        return b;
    }

    private static ByteBuffer fis(int length, int type, int flags, int status, int error) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) type).put(1, (byte) flags).put(2, (byte) status).put(3, (byte) error);
        return b;
    }

    /** The LBA field as a Register FIS (and the shadow registers of a log) lay it out: bytes 4-6 and 8-10. */
    static void putLba(ByteBuffer b, long lba) {
        for (int i = 0; i < 3; i++) {
            b.put(4 + i, (byte) (lba >>> 8 * i));
            b.put(8 + i, (byte) (lba >>> 8 * (i + 3)));
        }
    }
}
