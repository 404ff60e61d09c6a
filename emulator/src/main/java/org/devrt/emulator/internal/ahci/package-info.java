/**
 * The {@code ahci} device model: an Intel ICH9 AHCI HBA (AHCI 1.3.1) with SATA disks on raw image files. Reading
 * order: {@link org.devrt.emulator.internal.ahci.AhciRegs} (the spec's names), {@code AhciModel} (generic host
 * control, interrupts, resets), {@code AhciPort} (port registers, link), {@code CommandEngine} (§5.3.2: which
 * command FIS goes next, non-queued ones one at a time, NCQ ones together), {@code SlotCommand} (one command, run on a
 * worker thread), {@code Prdt} and {@code AtaDisk}.
 */
package org.devrt.emulator.internal.ahci;
