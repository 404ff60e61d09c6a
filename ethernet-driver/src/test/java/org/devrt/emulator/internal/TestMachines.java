package org.devrt.emulator.internal;

import java.lang.annotation.Annotation;
import java.util.Map;

import org.devrt.emulator.internal.model.ModelFactory;

/**
 * Makes emulated machines for the driver's tests. It sits in the emulator's package because the machine's
 * configuration type is package-private there; it uses nothing of the e1000 model but its name.
 */
public final class TestMachines {
    private TestMachines() {
    }

    /** A machine with {@code memory} bytes of DMA memory and DMA ownership checked, as the runtime has it. */
    public static Machine machine(long memory) {
        return new Machine(new MachineConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MachineConfig.class;
            }

            @Override
            public long memory_size() {
                return memory;
            }

            @Override
            public long memory_base() {
                return 0x1_0000_0000L;
            }

            @Override
            public boolean dma_ownership() {
                return true;
            }
        });
    }

    /** A machine with {@code memory} bytes of DMA memory (ownership checked) and only the given models. */
    public static Machine machine(long memory, Map<String, ModelFactory> models) {
        return new Machine(new PhysicalMemory(0x1_0000_0000L, (int) memory, true), models);
    }

    /** Shuts the machine down: unplugs everything, stops its interrupt thread. */
    public static void close(Machine machine) {
        machine.close();
    }
}
