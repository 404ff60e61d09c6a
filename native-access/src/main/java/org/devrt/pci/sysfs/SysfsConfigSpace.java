package org.devrt.pci.sysfs;

import java.util.Arrays;

import org.devrt.pci.ConfigSpace;

/**
 * A host function's configuration space as the sysfs {@code config} file showed it when the function was read: a
 * snapshot, never written. The kernel lets a non-root reader see only the first 64 bytes (128 for CardBus), root
 * sees 256 or 4096; bytes beyond what was visible read as all ones, as a PCI read of an absent register does.
 */
final class SysfsConfigSpace implements ConfigSpace {
    /** PCI_CFG_SPACE_SIZE. */
    static final int PCI_SIZE = 256;
    /** PCI_CFG_SPACE_EXP_SIZE: PCI Express extended configuration space. */
    static final int PCIE_SIZE = 4096;

    static final String READ_ONLY = "host PCI config space is read-only";

    private final byte[] visible;
    private final int size;

    /**
     * @param visible the bytes the {@code config} file gave (copied)
     * @param fileSize the size the {@code config} file reports ({@code stat}), which is the function's real
     *        configuration space size even when fewer bytes are readable; anything above 256 means 4096
     */
    SysfsConfigSpace(byte[] visible, long fileSize) {
        this.size = fileSize > PCI_SIZE || visible.length > PCI_SIZE ? PCIE_SIZE : PCI_SIZE;
        this.visible = Arrays.copyOf(visible, Math.min(visible.length, size));
    }

    /** A configuration space of which nothing could be read. */
    static SysfsConfigSpace unreadable() {
        return new SysfsConfigSpace(new byte[0], PCI_SIZE);
    }

    /** How many bytes, from offset 0, were readable; reads at or above this return all ones. */
    int visibleLength() {
        return visible.length;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isWritable() {
        return false;
    }

    @Override
    public int read8(int offset) {
        check(offset, 1);
        return byteAt(offset);
    }

    @Override
    public int read16(int offset) {
        check(offset, 2);
        return byteAt(offset) | byteAt(offset + 1) << 8;
    }

    @Override
    public int read32(int offset) {
        check(offset, 4);
        return byteAt(offset) | byteAt(offset + 1) << 8 | byteAt(offset + 2) << 16 | byteAt(offset + 3) << 24;
    }

    @Override
    public void write8(int offset, int value) {
        throw new UnsupportedOperationException(READ_ONLY);
    }

    @Override
    public void write16(int offset, int value) {
        throw new UnsupportedOperationException(READ_ONLY);
    }

    @Override
    public void write32(int offset, int value) {
        throw new UnsupportedOperationException(READ_ONLY);
    }

    private int byteAt(int offset) {
        return offset < visible.length ? visible[offset] & 0xff : 0xff;
    }

    private void check(int offset, int width) {
        if (offset < 0 || offset > size - width) {
            throw new IllegalArgumentException(String.format(
                    "config offset 0x%x (%d bytes) is outside 0x0..0x%x", offset, width, size - 1));
        }
        if (offset % width != 0) {
            throw new IllegalArgumentException(String.format(
                    "config offset 0x%x is not aligned for a %d-byte access", offset, width));
        }
    }
}
