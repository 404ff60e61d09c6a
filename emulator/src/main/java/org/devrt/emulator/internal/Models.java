package org.devrt.emulator.internal;

import java.util.Map;
import java.util.TreeMap;

import org.devrt.emulator.internal.ahci.AhciModel;
import org.devrt.emulator.internal.e1000.E1000Model;
import org.devrt.emulator.internal.generic.GenericModel;
import org.devrt.emulator.internal.model.ModelFactory;

/** The device models the machine can plug, by name. A new model adds its factory here. */
final class Models {
    private Models() {
    }

    static Map<String, ModelFactory> builtIn() {
        return of(GenericModel.factory(), E1000Model.factory(), AhciModel.factory());
    }

    static Map<String, ModelFactory> of(ModelFactory... factories) {
        Map<String, ModelFactory> byName = new TreeMap<>();
        for (ModelFactory factory : factories) {
            if (byName.put(factory.name(), factory) != null) {
                throw new IllegalArgumentException("two models are named " + factory.name());
            }
        }
        return byName;
    }
}
