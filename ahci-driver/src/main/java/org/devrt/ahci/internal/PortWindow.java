package org.devrt.ahci.internal;

import org.devrt.hw.RegisterIo;

/**
 * One port's register block (§3.3) as a window of its own, so that port registers are addressed by their spec
 * offsets ({@code PxCMD} = 0x18) and a port's dump lists that port only.
 */
final class PortWindow implements RegisterIo {
    private final RegisterIo abar;
    private final int base;

    PortWindow(RegisterIo abar, int port) {
        this.abar = abar;
        this.base = Ahci.portBase(port);
        if (base + Ahci.PORT_SIZE > abar.size()) {
            throw new IllegalArgumentException(String.format(
                    "port %d's registers (0x%x..0x%x) lie outside ABAR (%d bytes)", port, base,
                    base + Ahci.PORT_SIZE - 1, abar.size()));
        }
    }

    @Override
    public long size() {
        return Ahci.PORT_SIZE;
    }

    @Override
    public int read32(int offset) {
        return abar.read32(base + check(offset));
    }

    @Override
    public void write32(int offset, int value) {
        abar.write32(base + check(offset), value);
    }

    private static int check(int offset) {
        if (offset < 0 || offset >= Ahci.PORT_SIZE || (offset & 3) != 0) {
            throw new IllegalArgumentException(String.format("port register offset 0x%x is not in 0..0x7c", offset));
        }
        return offset;
    }
}
