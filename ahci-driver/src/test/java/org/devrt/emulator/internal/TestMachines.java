package org.devrt.emulator.internal;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.devrt.emulator.internal.ahci.AhciModel;
import org.devrt.emulator.internal.model.ModelFactory;

/**
 * Emulated machines for the driver's tests. It sits in the emulator's package only because the machine's
 * configuration type and its shutdown are package-private there; the tests use nothing else of the emulator's
 * internals.
 */
public final class TestMachines {
    private TestMachines() {
    }

    /** A machine with {@code memory} bytes of DMA memory at 4 GiB, DMA ownership checked. */
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

    /**
     * Like {@link #machine(long)}, with the built-in models, but {@code ahciCreated} sees every AHCI model plugged,
     * so that a test can inject faults into it while the driver runs ({@link AhciModel#failNext} and the like).
     */
    public static Machine machine(long memory, Consumer<AhciModel> ahciCreated) {
        Map<String, ModelFactory> models = new TreeMap<>(Models.builtIn());
        models.put("ahci", AhciModel.factory(ahciCreated));
        return new Machine(new PhysicalMemory(0x1_0000_0000L, Math.toIntExact(memory), true), models);
    }

    /** Unplugs everything and stops the interrupt thread. */
    public static void shutdown(Machine machine) {
        machine.close();
    }

    /** E.g. {@code 64 MiB DMA memory at 0x100000000, 65536 KiB free, ...}. */
    public static String memory(Machine machine) {
        return machine.memoryText();
    }
}
