/**
 * The Intel 8254x (e1000) driver. Private: other bundles see only the {@code NetworkDevice} services it registers.
 *
 * <p>Reading order, as ixy suggests: {@link org.devrt.ethernet.e1000.E1000Driver} (the {@code PciDriver} the
 * device manager calls: probe, acquire, initialise, publish; detach) -> {@link org.devrt.ethernet.e1000.E1000Init}
 * (bring-up, one flat function in the order of the manual's chapter 14) -> {@link org.devrt.ethernet.e1000.E1000Nic}
 * (the running port: transmit, the interrupt handler, the worker that receives and watches for a hung transmit
 * unit) -> {@link
 * org.devrt.ethernet.e1000.Ring} and {@link org.devrt.ethernet.e1000.Descriptors} (the rings and their
 * descriptors) -> {@link org.devrt.ethernet.e1000.E1000Regs} (every register and bit, named as the manual names
 * them). The device model it is tested against lives in the emulator ({@code org.devrt.emulator.internal.e1000}),
 * written apart from this driver from the same manual.
 */
package org.devrt.ethernet.e1000;
