/**
 * The PCI ID database reader: names for vendor, device, subsystem and class ids from pci.ids, as {@code lspci}
 * prints them. Start at {@link org.devrt.devicemanager.pciids.PciIds}; the file format is parsed by
 * {@link org.devrt.devicemanager.pciids.PciIdsParser}. Private to the device manager.
 */
package org.devrt.devicemanager.pciids;
