package org.devrt.emulator.internal.generic;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.model.DmaFault;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelHost;
import org.devrt.emulator.internal.model.ModelIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code generic} device: whatever identity and BARs its options say, so that tests can plug devices that
 * test drivers match, and test interrupts and DMA. After QEMU's {@code pci-testdev} (1b36:0005).
 *
 * <p>BAR 0 (memory, {@code bar0size} bytes) is a register file: a few control registers at the start, named
 * below, then plain read/write registers from {@link #SCRATCH} to the end. BAR 2, present when {@code bar2size} is
 * set, is an I/O BAR of plain registers. Interrupt causes are in {@link #STATUS}; INTx# is asserted while
 * {@code STATUS & INT_ENABLE} is not zero.
 */
public final class GenericModel implements DeviceModel {
    private static final Logger LOG = LoggerFactory.getLogger(GenericModel.class);

    /** RW1C: interrupt causes; write 1s to acknowledge them. */
    public static final int STATUS = 0x00;
    /** RW: the causes that assert INTx#. 0 after reset. */
    public static final int INT_ENABLE = 0x04;
    /** Doorbell: a write sets {@link #STATUS_DOORBELL}; reads return the last value written. */
    public static final int DOORBELL = 0x08;
    /** RW: bus address the copy reads from, low and high halves. */
    public static final int DMA_SRC_LO = 0x0c;
    public static final int DMA_SRC_HI = 0x10;
    /** RW: bus address the copy writes to. */
    public static final int DMA_DST_LO = 0x14;
    public static final int DMA_DST_HI = 0x18;
    /** RW: bytes to copy, at most {@link #MAX_COPY}. */
    public static final int DMA_LEN = 0x1c;
    /** Doorbell: writing {@link #DMA_CMD_COPY} copies DMA_LEN bytes from DMA_SRC to DMA_DST; reads 0. */
    public static final int DMA_CMD = 0x20;
    /** RO: Vendor ID in bits 15:0, Device ID in bits 31:16. */
    public static final int ID = 0x24;
    /** First plain register; 0x28-0x3c are reserved. */
    public static final int SCRATCH = 0x40;

    public static final int STATUS_DOORBELL = 1;
    public static final int STATUS_DMA_DONE = 1 << 1;
    public static final int STATUS_DMA_ERROR = 1 << 2;
    public static final int DMA_CMD_COPY = 1;
    public static final int MAX_COPY = 1 << 20;

    private final ModelHost host;
    private final ModelIdentity identity;
    private final List<BarSpec> bars;
    private final int[] bar0;
    private final int[] bar2;

    GenericModel(ModelHost host, ModelIdentity identity, List<BarSpec> bars) {
        this.host = host;
        this.identity = identity;
        this.bars = List.copyOf(bars);
        this.bar0 = new int[(int) bars.get(0).size() / 4];
        this.bar2 = new int[bars.size() > 1 ? (int) bars.get(1).size() / 4 : 0];
        reset();
    }

    /** The factory, with the options. */
    public static ModelFactory factory() {
        return new GenericFactory();
    }

    @Override
    public ModelIdentity identity() {
        return identity;
    }

    @Override
    public List<BarSpec> bars() {
        return bars;
    }

    @Override
    public int read32(int bar, int offset) {
        if (bar == 2) {
            return bar2[offset / 4];
        }
        return switch (offset) {
            case DMA_CMD -> 0;
            case ID -> identity.vendorId() | identity.deviceId() << 16;
            default -> {
                if (offset > ID && offset < SCRATCH) {
                    LOG.debug("{}: reserved register 0x{} reads 0", host.address(), Integer.toHexString(offset));
                    yield 0;
                }
                yield bar0[offset / 4];
            }
        };
    }

    @Override
    public void write32(int bar, int offset, int value) {
        if (bar == 2) {
            bar2[offset / 4] = value;
            return;
        }
        switch (offset) {
            case STATUS -> bar0[STATUS / 4] &= ~value;
            case DOORBELL -> {
                bar0[DOORBELL / 4] = value;
                bar0[STATUS / 4] |= STATUS_DOORBELL;
            }
            case DMA_CMD -> {
                if ((value & DMA_CMD_COPY) != 0) {
                    bar0[STATUS / 4] |= copy();
                }
            }
            case ID -> LOG.debug("{}: write to read-only ID ignored", host.address());
            default -> {
                if (offset > ID && offset < SCRATCH) {
                    LOG.debug("{}: write to reserved 0x{} ignored", host.address(), Integer.toHexString(offset));
                } else {
                    bar0[offset / 4] = value;
                }
            }
        }
        host.setInterrupt((bar0[STATUS / 4] & bar0[INT_ENABLE / 4]) != 0);
    }

    /** Copies DMA_LEN bytes from DMA_SRC to DMA_DST (as memmove); returns the status bit to set. */
    private int copy() {
        long src = address(DMA_SRC_LO, DMA_SRC_HI);
        long dst = address(DMA_DST_LO, DMA_DST_HI);
        int length = bar0[DMA_LEN / 4];
        if (length < 0 || length > MAX_COPY) {
            LOG.debug("{}: DMA_LEN 0x{} is above the limit 0x{}", host.address(), Integer.toHexString(length),
                    Integer.toHexString(MAX_COPY));
            return STATUS_DMA_ERROR;
        }
        ByteBuffer data = ByteBuffer.allocate(length);
        try {
            host.dmaRead(src, data);
            host.dmaWrite(dst, data.flip());
            return STATUS_DMA_DONE;
        } catch (DmaFault e) {
            return STATUS_DMA_ERROR;
        }
    }

    private long address(int low, int high) {
        return (bar0[high / 4] & 0xffff_ffffL) << 32 | (bar0[low / 4] & 0xffff_ffffL);
    }

    @Override
    public void reset() {
        Arrays.fill(bar0, 0);
        Arrays.fill(bar2, 0);
        host.setInterrupt(false);
    }

    @Override
    public void close() {
        host.setInterrupt(false);
    }
}
