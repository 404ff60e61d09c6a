package org.devrt.pci;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A function's configuration space (256 bytes for PCI, 4096 for PCI Express). Little-endian; accesses must be
 * naturally aligned. Register offsets of the type-0 header are constants here.
 */
@ProviderType
public interface ConfigSpace {
    int VENDOR_ID = 0x00;
    int DEVICE_ID = 0x02;
    int COMMAND = 0x04;
    int STATUS = 0x06;
    int REVISION_ID = 0x08;
    int CLASS_CODE = 0x09;
    int HEADER_TYPE = 0x0e;
    int BAR0 = 0x10;
    int SUBSYSTEM_VENDOR_ID = 0x2c;
    int SUBSYSTEM_ID = 0x2e;
    int CAPABILITIES_POINTER = 0x34;
    int INTERRUPT_LINE = 0x3c;
    int INTERRUPT_PIN = 0x3d;

    /** COMMAND bit 1: the function responds to memory-space accesses. */
    int COMMAND_MEMORY_SPACE = 1 << 1;
    /** COMMAND bit 2: the function may master the bus (DMA). */
    int COMMAND_BUS_MASTER = 1 << 2;
    /** COMMAND bit 10: INTx assertion disabled. */
    int COMMAND_INTX_DISABLE = 1 << 10;
    /** STATUS bit 4: the capability list at CAPABILITIES_POINTER is valid. */
    int STATUS_CAPABILITIES_LIST = 1 << 4;

    /** Size in bytes (256 or 4096); reads beyond what the backend can see return all ones. */
    int size();

    /** Whether writes reach the device. False for the read-only host backend. */
    boolean isWritable();

    int read8(int offset);

    int read16(int offset);

    int read32(int offset);

    /** @throws UnsupportedOperationException if {@link #isWritable()} is false */
    void write8(int offset, int value);

    /** @throws UnsupportedOperationException if {@link #isWritable()} is false */
    void write16(int offset, int value);

    /** @throws UnsupportedOperationException if {@link #isWritable()} is false */
    void write32(int offset, int value);
}
