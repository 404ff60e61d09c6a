/**
 * The {@code e1000} model: an Intel 82540EM Gigabit Ethernet controller, register by register after the 8254x
 * Software Developer's Manual, plugged into a backend of {@link org.devrt.emulator.internal.net}.
 *
 * <p>Reading order: {@link org.devrt.emulator.internal.e1000.E1000Registers} (the manual's names),
 * {@link org.devrt.emulator.internal.e1000.E1000Model} (register dispatch, interrupts, link, reset, threads), then
 * the units it delegates to: Eeprom, Phy, DescriptorRing, Receiver with AddressFilter, Transmitter, Statistics.
 */
package org.devrt.emulator.internal.e1000;
