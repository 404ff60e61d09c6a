package org.devrt.emulator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the emulated machine (PID {@code devrt.emulator.machine}); a change restarts the machine. */
@ObjectClassDefinition(name = "devrt emulated machine",
        description = "The emulated PCI machine: its physical (DMA) memory and how strictly DMA is checked.")
@interface MachineConfig {
    long DEFAULT_SIZE = 64L << 20;
    long DEFAULT_BASE = 0x1_0000_0000L;

    @AttributeDefinition(name = "Memory size",
            description = "Bytes of physical memory for DMA, a multiple of 4096, at most 1 GiB.")
    long memory_size() default DEFAULT_SIZE;

    @AttributeDefinition(name = "Memory base",
            description = "Bus address of the first byte of memory, page-aligned; well above 0 so a null address "
                    + "is never valid.")
    long memory_base() default DEFAULT_BASE;

    @AttributeDefinition(name = "DMA ownership check",
            description = "Refuse a device's DMA outside the DMA regions its own driver allocated (as an IOMMU "
                    + "would); off, any address in memory is reachable.")
    boolean dma_ownership() default true;
}
