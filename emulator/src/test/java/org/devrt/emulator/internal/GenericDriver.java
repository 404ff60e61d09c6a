package org.devrt.emulator.internal;

import static org.devrt.emulator.internal.generic.GenericModel.DMA_CMD;
import static org.devrt.emulator.internal.generic.GenericModel.DMA_CMD_COPY;
import static org.devrt.emulator.internal.generic.GenericModel.DMA_DST_HI;
import static org.devrt.emulator.internal.generic.GenericModel.DMA_DST_LO;
import static org.devrt.emulator.internal.generic.GenericModel.DMA_LEN;
import static org.devrt.emulator.internal.generic.GenericModel.DMA_SRC_HI;
import static org.devrt.emulator.internal.generic.GenericModel.DMA_SRC_LO;
import static org.devrt.emulator.internal.generic.GenericModel.STATUS;

import java.io.IOException;

import org.devrt.hw.RegisterIo;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciFunction;

/** A tiny driver for the generic device, written inside the tests (as QEMU's qtest drivers are). */
final class GenericDriver {
    final PciFunction function;
    final RegisterIo bar0;

    GenericDriver(PciFunction function) throws IOException {
        this.function = function;
        this.bar0 = function.bar(0);
    }

    GenericDriver busMaster(boolean on) {
        return command(ConfigSpace.COMMAND_BUS_MASTER, on);
    }

    GenericDriver intxDisabled(boolean disabled) {
        return command(ConfigSpace.COMMAND_INTX_DISABLE, disabled);
    }

    private GenericDriver command(int bit, boolean set) {
        ConfigSpace config = function.config();
        int command = config.read16(ConfigSpace.COMMAND);
        config.write16(ConfigSpace.COMMAND, set ? command | bit : command & ~bit);
        return this;
    }

    /** Copies {@code length} bytes from {@code src} to {@code dst} and returns STATUS afterwards (acknowledged). */
    int copy(long src, long dst, int length) {
        bar0.write32(DMA_SRC_LO, (int) src);
        bar0.write32(DMA_SRC_HI, (int) (src >>> 32));
        bar0.write32(DMA_DST_LO, (int) dst);
        bar0.write32(DMA_DST_HI, (int) (dst >>> 32));
        bar0.write32(DMA_LEN, length);
        bar0.write32(DMA_CMD, DMA_CMD_COPY);
        int status = bar0.read32(STATUS);
        bar0.write32(STATUS, status);
        return status;
    }
}
