package org.devrt.emulator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One function the machine has at boot: a factory configuration of PID {@code devrt.emulator.function}, e.g. the
 * file {@code conf/devrt.emulator.function-nic0.cfg}. Every other property is an option of the model.
 */
@ObjectClassDefinition(name = "devrt emulated PCI function",
        description = "A function plugged into the emulated machine while this configuration exists. Properties "
                + "other than address and model are the model's options, e.g. vendor=0x1234 or bar0size=4k.")
@interface FunctionConfig {
    @AttributeDefinition(name = "Address", description = "PCI address on bus 0000:00, e.g. 00:05.0")
    String address();

    @AttributeDefinition(name = "Model", description = "Device model, e.g. generic")
    String model();
}
