package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.devrt.hw.DmaMemory;
import org.devrt.hw.DmaRegion;
import org.devrt.hw.RegisterIo;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciFunction;

/**
 * A tiny 82540EM driver written inside the tests from the 8254x SDM (as QEMU's qtest drivers are), so that the
 * model's conformance tests do not lean on the real driver bundle. Registers through BAR 0, rings in DMA memory.
 * Rings follow chapter 14's recipe: legacy descriptors, RDT one behind RDH so that the device owns all but one.
 */
final class TestNic {
    static final int RX_BUFFER = 2048;
    static final int TX_BUFFER = 2048;

    final PciFunction function;
    final RegisterIo bar0;
    final DmaMemory dma;
    DmaRegion rxRing;
    DmaRegion rxBuffers;
    DmaRegion txRing;
    DmaRegion txBuffers;
    int rxCount;
    int txCount;
    int rxBufferSize = RX_BUFFER;
    /** The next receive descriptor to look at (the driver's copy of where RDH will be). */
    int rxNext;
    /** The next transmit descriptor to fill (the driver's copy of TDT). */
    int txNext;
    /** STATUS of each descriptor the last {@link #receive} consumed, before it cleared them. */
    final java.util.List<Integer> lastStatuses = new java.util.ArrayList<>();

    TestNic(PciFunction function) throws IOException {
        this.function = function;
        this.bar0 = function.bar(0);
        this.dma = function.dmaMemory();
        ConfigSpace config = function.config();
        config.write16(ConfigSpace.COMMAND, config.read16(ConfigSpace.COMMAND) | ConfigSpace.COMMAND_BUS_MASTER);
    }

    int get(int offset) {
        return bar0.read32(offset);
    }

    void set(int offset, int value) {
        bar0.write32(offset, value);
    }

    /** 8254x SDM 5.6 and 13.4.4: one EEPROM word through EERD. */
    int eepromWord(int address) {
        set(EERD, address << EERD_ADDR_SHIFT | EERD_START);
        int value = get(EERD);
        if ((value & EERD_DONE) == 0) {
            throw new AssertionError("EERD.DONE not set after a read of word " + address);
        }
        return value >>> EERD_DATA_SHIFT;
    }

    /** The address in EEPROM words 0-2, as six bytes. */
    byte[] eepromMac() {
        byte[] mac = new byte[6];
        for (int i = 0; i < 3; i++) {
            int word = eepromWord(i);
            mac[2 * i] = (byte) word;
            mac[2 * i + 1] = (byte) (word >>> 8);
        }
        return mac;
    }

    /** Link up (CTRL.SLU), rings of {@code rx} and {@code tx} descriptors, receive with RCTL.EN|BAM|{@code rctl}. */
    TestNic up(int rx, int tx, int rctl) throws IOException {
        set(CTRL, get(CTRL) | CTRL_SLU | CTRL_ASDE);
        setUpReceive(rx, rctl);
        setUpTransmit(tx);
        return this;
    }

    TestNic up() throws IOException {
        return up(16, 16, 0);
    }

    void setUpReceive(int count, int rctl) throws IOException {
        rxCount = count;
        rxBufferSize = Receiver.bufferSize(rctl);
        rxRing = dma.allocate(count * DESCRIPTOR_SIZE);
        rxBuffers = dma.allocate(count * rxBufferSize);
        ByteBuffer ring = rxRing.buffer();
        for (int i = 0; i < count; i++) {
            ring.putLong(i * DESCRIPTOR_SIZE, rxBuffers.physicalAddress() + (long) i * rxBufferSize);
        }
        set(RDBAL, (int) rxRing.physicalAddress());
        set(RDBAH, (int) (rxRing.physicalAddress() >>> 32));
        set(RDLEN, count * DESCRIPTOR_SIZE);
        set(RDH, 0);
        set(RDT, count - 1);
        rxNext = 0;
        set(RCTL, RCTL_EN | RCTL_BAM | rctl);
    }

    void setUpTransmit(int count) throws IOException {
        txCount = count;
        txRing = dma.allocate(count * DESCRIPTOR_SIZE);
        txBuffers = dma.allocate(count * TX_BUFFER);
        set(TDBAL, (int) txRing.physicalAddress());
        set(TDBAH, (int) (txRing.physicalAddress() >>> 32));
        set(TDLEN, count * DESCRIPTOR_SIZE);
        set(TDH, 0);
        set(TDT, 0);
        txNext = 0;
        set(TCTL, TCTL_EN | TCTL_PSP | 0x0F << TCTL_CT_SHIFT | 0x40 << TCTL_COLD_SHIFT);
    }

    /** Fills descriptor TDT with {@code frame} (one buffer, EOP|IFCS|RS) without ringing the doorbell. */
    int queue(byte[] frame, int command) {
        int index = txNext;
        txBuffers.buffer().put(index * TX_BUFFER, frame);
        ByteBuffer d = txRing.buffer();
        int at = index * DESCRIPTOR_SIZE;
        d.putLong(at + TDESC_BUFFER_ADDRESS, txBuffers.physicalAddress() + (long) index * TX_BUFFER);
        d.putShort(at + TDESC_LENGTH, (short) frame.length);
        d.put(at + TDESC_CSO, (byte) 0);
        d.put(at + TDESC_CMD, (byte) command);
        d.putInt(at + TDESC_STATUS, 0);
        txNext = (index + 1) % txCount;
        return index;
    }

    /** Sends one frame and waits for its descriptor's DD. */
    void send(byte[] frame) {
        int index = queue(frame, TDESC_CMD_EOP | TDESC_CMD_IFCS | TDESC_CMD_RS);
        set(TDT, txNext);
        awaitTxDone(index);
    }

    void awaitTxDone(int index) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((txRing.buffer().get(index * DESCRIPTOR_SIZE + TDESC_STATUS) & TDESC_STATUS_DD) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("8254x SDM 3.3.3.2: TX descriptor " + index + " never got STATUS.DD; TDH "
                        + get(TDH) + " TDT " + get(TDT));
            }
            Thread.onSpinWait();
        }
    }

    /** The next received frame (all its descriptors up to EOP, handed back by RDT), or null after {@code millis}. */
    byte[] receive(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        ByteBuffer ring = rxRing.buffer();
        ByteBuffer out = ByteBuffer.allocate(32 * 1024);
        lastStatuses.clear();
        while (true) {
            int at = rxNext * DESCRIPTOR_SIZE;
            int status = ring.get(at + RDESC_STATUS) & 0xFF;
            if ((status & RDESC_STATUS_DD) == 0) {
                if (System.nanoTime() > deadline) {
                    return null;
                }
                Thread.onSpinWait();
                continue;
            }
            lastStatuses.add(status);
            int length = ring.getShort(at + RDESC_LENGTH) & 0xFFFF;
            byte[] chunk = new byte[length];
            rxBuffers.buffer().get(rxNext * rxBufferSize, chunk);
            out.put(chunk);
            ring.put(at + RDESC_STATUS, (byte) 0);
            set(RDT, rxNext);
            rxNext = (rxNext + 1) % rxCount;
            if ((status & RDESC_STATUS_EOP) != 0) {
                byte[] frame = new byte[out.position()];
                out.flip().get(frame);
                return frame;
            }
        }
    }

    /** The descriptor status and errors bytes of receive descriptor {@code index}. */
    int rxStatus(int index) {
        return rxRing.buffer().get(index * DESCRIPTOR_SIZE + RDESC_STATUS) & 0xFF;
    }

    int rxErrors(int index) {
        return rxRing.buffer().get(index * DESCRIPTOR_SIZE + RDESC_ERRORS) & 0xFF;
    }

    /** A frame: destination, source, EtherType 88B5 (local experimental), {@code payload} bytes counting up. */
    static byte[] frame(byte[] destination, byte[] source, int payload) {
        byte[] frame = new byte[14 + payload];
        System.arraycopy(destination, 0, frame, 0, 6);
        System.arraycopy(source, 0, frame, 6, 6);
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xB5;
        for (int i = 0; i < payload; i++) {
            frame[14 + i] = (byte) (i + 1);
        }
        return frame;
    }

    static byte[] mac(String text) {
        return org.devrt.device.MacAddress.parse(text).toBytes();
    }
}
