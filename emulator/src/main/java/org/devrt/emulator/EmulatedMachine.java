package org.devrt.emulator;

import java.util.List;
import java.util.Map;

import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The emulated machine: its PCI functions are device models that can be plugged and unplugged at run time. The
 * same service object is the machine's {@link org.devrt.pci.PciBus} ({@code devrt.pci.bus=emulated}), whose
 * subscribers are told of every plug and unplug, synchronously, before these methods return.
 */
@ProviderType
public interface EmulatedMachine {
    /**
     * Plugs a new function (hot plug).
     *
     * @param address where, on bus {@code 0000:00}
     * @param model a name from {@link #models()}, e.g. {@code generic}
     * @param options the model's options, e.g. {@code vendor=0x8086}
     * @return the new function
     * @throws IllegalArgumentException naming the problem: an unknown model, a taken address, an address off the
     *         machine's bus, an unknown option or a bad option value
     */
    PciFunction plug(PciAddress address, String model, Map<String, String> options);

    /**
     * Removes the function at {@code address} without warning (surprise removal): its handles are revoked, the
     * model is closed, then the bus's subscribers are told.
     *
     * @throws IllegalArgumentException if no function is at {@code address}
     */
    void unplug(PciAddress address);

    /**
     * Removes the function at {@code address} in an orderly way, as a slot's power is turned off after the OS let it
     * go: the bus's subscribers are told it is going ({@link org.devrt.pci.PciBusListener#functionRemoving}) and
     * detach its driver while it still answers, then it is unplugged as by {@link #unplug}. What a changed or deleted
     * configuration of a function, and the machine's shutdown, do.
     *
     * @throws IllegalArgumentException if no function is at {@code address}
     */
    void remove(PciAddress address);

    /** The names of the device models {@link #plug} accepts, sorted. */
    List<String> models();
}
