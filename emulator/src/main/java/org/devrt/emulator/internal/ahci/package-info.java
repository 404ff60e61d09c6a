/**
 * The {@code ahci} device model: an Intel ICH9 AHCI HBA (AHCI 1.3.1) with SATA disks on raw image files. Reading
 * order: {@link org.devrt.emulator.internal.ahci.AhciRegs} (the spec's names), {@code AhciModel} (generic host
 * control, interrupts, resets), {@code AhciPort} (port registers, link, command engine), {@code SlotCommand} (one
 * command on a worker thread), {@code Prdt} and {@code AtaDisk}.
 */
package org.devrt.emulator.internal.ahci;
