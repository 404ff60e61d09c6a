package org.devrt.emulator.internal;

import java.util.ArrayList;
import java.util.List;

import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.pci.BarInfo;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a PC's firmware does for a function before any driver runs, through configuration writes only: assigns
 * each BAR a naturally aligned address in the machine's windows, routes INTx# to an interrupt line and enables
 * memory and I/O decoding (not bus mastering: that is the driver's decision). Addresses come back on unplug.
 */
final class Firmware {
    private static final Logger LOG = LoggerFactory.getLogger(Firmware.class);
    /** 32-bit MMIO below the I/O APIC, as on a PC. */
    private final FreeList mmio32 = new FreeList(0xc000_0000L, 0xfec0_0000L - 0xc000_0000L);
    /** 64-bit MMIO, 512 GiB up from 512 GiB. */
    private final FreeList mmio64 = new FreeList(0x80_0000_0000L, 0x80_0000_0000L);
    private final FreeList io = new FreeList(0x1000, 0xf000);

    /** A range taken from a window. */
    private record Range(FreeList window, long base, long size) {
    }

    /** What {@link #assign} handed out, to give back with {@link #release}. */
    static final class Assignment {
        private final List<Range> ranges = new ArrayList<>();
    }

    /** Assigns the BARs, the interrupt line and decoding; a window that is full leaves its BAR at 0 (logged). */
    synchronized Assignment assign(PciAddress address, ConfigSpace config, List<BarSpec> bars, int pin) {
        Assignment assignment = new Assignment();
        int command = 0;
        for (BarSpec bar : bars) {
            FreeList window = windowFor(bar);
            long base = window.allocate(bar.size(), bar.size());
            if (base < 0) {
                LOG.warn("{}: no room for BAR {} (0x{} bytes); it stays unassigned", address, bar.index(),
                        Long.toHexString(bar.size()));
                continue;
            }
            assignment.ranges.add(new Range(window, base, bar.size()));
            int offset = ConfigSpace.BAR0 + 4 * bar.index();
            config.write32(offset, (int) base);
            if (bar.registers() == 2) {
                config.write32(offset + 4, (int) (base >>> 32));
            }
            command |= bar.kind() == BarInfo.Kind.IO ? Type0Config.COMMAND_IO_SPACE : ConfigSpace.COMMAND_MEMORY_SPACE;
        }
        if (pin != 0) {
            config.write8(ConfigSpace.INTERRUPT_LINE, 16 + ((address.device() + pin - 1) & 3));
        }
        config.write16(ConfigSpace.COMMAND, command);
        return assignment;
    }

    /** Gives the BAR addresses back. */
    synchronized void release(Assignment assignment) {
        assignment.ranges.forEach(r -> r.window().free(r.base(), r.size()));
        assignment.ranges.clear();
    }

    private FreeList windowFor(BarSpec bar) {
        return switch (bar.kind()) {
            case IO -> io;
            case MEMORY32 -> mmio32;
            case MEMORY64 -> bar.size() <= 0x1000_0000L ? mmio32 : mmio64;
        };
    }
}
