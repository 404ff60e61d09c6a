package org.devrt.emulator.internal;

import java.util.Map;

import org.devrt.emulator.internal.generic.GenericModel;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.pci.PciAddress;

/** Small machines for tests: 1 MiB of memory at 4 GiB, the generic model and the given ones. */
final class Machines {
    static final long BASE = 0x1_0000_0000L;
    static final int MEMORY = 1 << 20;
    static final PciAddress SLOT3 = PciAddress.parse("00:03.0");
    static final PciAddress SLOT5 = PciAddress.parse("00:05.0");

    private Machines() {
    }

    static Machine machine(ModelFactory... models) {
        return machine(true, models);
    }

    static Machine machine(boolean checkOwnership, ModelFactory... models) {
        ModelFactory[] all = new ModelFactory[models.length + 1];
        all[0] = GenericModel.factory();
        System.arraycopy(models, 0, all, 1, models.length);
        return new Machine(new PhysicalMemory(BASE, MEMORY, checkOwnership), Models.of(all));
    }

    static EmulatedFunction plug(Machine machine, PciAddress address, String model, String... options) {
        Map<String, String> map = new java.util.TreeMap<>();
        for (String option : options) {
            String[] kv = option.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        return (EmulatedFunction) machine.plug(address, model, map);
    }
}
