package org.devrt.emulator.internal.ahci;

/**
 * The checksum ATA puts in the last byte of a 512-byte data structure (IDENTIFY DEVICE word 255, a log page's byte
 * 511): the two's complement of the sum of the bytes before it, so that all of them sum to 0.
 */
final class AtaChecksum {
    private AtaChecksum() {
    }

    /** Writes the checksum into the last byte of {@code data}. */
    static void seal(byte[] data) {
        int sum = 0;
        for (int i = 0; i < data.length - 1; i++) {
            sum += data[i];
        }
        data[data.length - 1] = (byte) -sum;
    }
}
