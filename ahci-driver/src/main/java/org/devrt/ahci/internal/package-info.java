/**
 * The AHCI driver (private). A reading order, from the outside in:
 * <ol>
 * <li>{@link org.devrt.ahci.internal.AhciDriver}: the {@code PciDriver} service; attach is probe, acquire,
 * initialise, IDENTIFY, one {@code BlockDevice} service per disk (and per disk connected later); detach undoes
 * it.</li>
 * <li>{@link org.devrt.ahci.internal.AhciController}: the HBA; bring-up as one flat sequence after AHCI 1.3.1
 * §10.1.2, the interrupt handler, hot plug of disks on its ports, the release of every resource.</li>
 * <li>{@link org.devrt.ahci.internal.SataDisk}: the {@code BlockDevice}; splits transfers into commands, READ/WRITE
 * FPDMA QUEUED when the HBA (CAP.SNCQ) and the disk (IDENTIFY words 75-76) support NCQ, else READ/WRITE DMA EXT.</li>
 * <li>{@link org.devrt.ahci.internal.AhciPort}: slots, PxSACT and the PxCI doorbell, completion, time-outs, and the
 * rule that queued and non-queued commands are never in flight together;
 * {@link org.devrt.ahci.internal.PortRecovery}: §6.2.2 error recovery, non-queued and NCQ (with the disk's NCQ
 * Command Error log).</li>
 * <li>{@link org.devrt.ahci.internal.CommandSlot} and {@link org.devrt.ahci.internal.CommandEncoding}: what one
 * command looks like in memory; {@link org.devrt.ahci.internal.Ahci}: every register and bit by its spec name.</li>
 * </ol>
 * The device model these are tested against is the emulator's {@code ahci} model, written apart from this driver
 * from the same specification.
 */
package org.devrt.ahci.internal;
