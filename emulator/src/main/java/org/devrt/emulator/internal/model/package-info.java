/**
 * The interface between the emulated PCI bus and a device model (private to the emulator bundle).
 *
 * <p>A {@link org.devrt.emulator.internal.model.ModelFactory} makes a
 * {@link org.devrt.emulator.internal.model.DeviceModel} from {@link org.devrt.emulator.internal.model.ModelOptions}
 * and a {@link org.devrt.emulator.internal.model.ModelHost}. The model declares who it is (ids, class, BARs) and
 * answers 32-bit register accesses per BAR; the bus does everything PCI: configuration space, BAR assignment,
 * handles and their revocation, bounds-checked DMA and interrupt delivery.
 */
package org.devrt.emulator.internal.model;
