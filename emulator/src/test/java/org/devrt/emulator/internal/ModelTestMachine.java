package org.devrt.emulator.internal;

import java.util.Map;
import java.util.TreeMap;

import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;

/**
 * A machine for the tests of device models that live in other packages: {@code size} bytes of memory at 4 GiB,
 * DMA ownership checked, only the given models. What {@link Machines} gives this package's tests, made public.
 */
public final class ModelTestMachine implements AutoCloseable {
    public static final long BASE = Machines.BASE;

    private final Machine machine;

    public ModelTestMachine(int size, ModelFactory... models) {
        this.machine = new Machine(new PhysicalMemory(BASE, size, true), Models.of(models));
    }

    /** Plugs {@code model} at {@code address} with {@code key=value} options. */
    public PciFunction plug(String address, String model, String... options) {
        Map<String, String> map = new TreeMap<>();
        for (String option : options) {
            String[] kv = option.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        return machine.plug(PciAddress.parse(address), model, map);
    }

    public void unplug(String address) {
        machine.unplug(PciAddress.parse(address));
    }

    /** DMA accesses of {@code function}'s model that the bus refused. */
    public long dmaFaults(PciFunction function) {
        return ((EmulatedFunction) function).host().faults();
    }

    @Override
    public void close() {
        machine.close();
    }
}
