package org.devrt.ethernet.e1000;

import static org.devrt.ethernet.e1000.E1000Regs.DESC_SIZE;
import static org.devrt.ethernet.e1000.E1000Regs.RXD_ADDR;
import static org.devrt.ethernet.e1000.E1000Regs.RXD_ERRORS;
import static org.devrt.ethernet.e1000.E1000Regs.RXD_LENGTH;
import static org.devrt.ethernet.e1000.E1000Regs.RXD_STATUS;
import static org.devrt.ethernet.e1000.E1000Regs.TXD_ADDR;
import static org.devrt.ethernet.e1000.E1000Regs.TXD_LENGTH;
import static org.devrt.ethernet.e1000.E1000Regs.TXD_STATUS;

import java.nio.ByteBuffer;

/**
 * Reading and writing the 16-byte legacy descriptors in a ring's little-endian buffer, by index. Absolute
 * accesses only: no buffer state changes and nothing is allocated, so these sit on the data path.
 *
 * <pre>
 * receive (§3.2.3)     0: buffer address (64)   8: length (16)  10: checksum (16)  12: status  13: errors  14: special (16)
 * transmit (§3.3.3)    0: buffer address (64)   8: length (16)  10: CSO  11: CMD   12: STA     13: CSS     14: special (16)
 * </pre>
 *
 * The upper eight bytes are written as one 64-bit store, so a descriptor handed to the device never holds the
 * status of its previous use.
 */
final class Descriptors {
    private Descriptors() {
    }

    /** Byte offset of descriptor {@code index}. */
    static int offset(int index) {
        return index * DESC_SIZE;
    }

    // ---- receive ---------------------------------------------------------------------------------------

    /** Gives descriptor {@code index} to the device: its buffer address, and length, status and errors zero. */
    static void resetRx(ByteBuffer ring, int index, long bufferAddress) {
        int at = offset(index);
        ring.putLong(at + RXD_ADDR, bufferAddress);
        ring.putLong(at + RXD_LENGTH, 0L);
    }

    static int rxStatus(ByteBuffer ring, int index) {
        return ring.get(offset(index) + RXD_STATUS) & 0xff;
    }

    static int rxErrors(ByteBuffer ring, int index) {
        return ring.get(offset(index) + RXD_ERRORS) & 0xff;
    }

    static int rxLength(ByteBuffer ring, int index) {
        return ring.getShort(offset(index) + RXD_LENGTH) & 0xffff;
    }

    // ---- transmit --------------------------------------------------------------------------------------

    /** Fills descriptor {@code index}: buffer address, length and command; CSO, STA, CSS and special zero. */
    static void writeTx(ByteBuffer ring, int index, long bufferAddress, int length, int cmd) {
        int at = offset(index);
        ring.putLong(at + TXD_ADDR, bufferAddress);
        ring.putLong(at + TXD_LENGTH, (length & 0xffffL) | ((long) (cmd & 0xff) << 24));
    }

    static int txStatus(ByteBuffer ring, int index) {
        return ring.get(offset(index) + TXD_STATUS) & 0x0f; // the high nibble is reserved
    }

    static int txLength(ByteBuffer ring, int index) {
        return ring.getShort(offset(index) + TXD_LENGTH) & 0xffff;
    }
}
