/**
 * PCI: buses, their functions, and the contract between the device manager and a driver.
 *
 * <p>A backend (the emulated machine, or the read-only Linux sysfs reader) registers one
 * {@link org.devrt.pci.PciBus} service. The device manager subscribes to it, matches each
 * {@link org.devrt.pci.PciFunction} against the drivers' {@code devrt.driver} capabilities and calls the chosen
 * {@link org.devrt.pci.PciDriver} service's {@code attach}. A driver sees only this package and
 * {@link org.devrt.hw}: the same driver bundle runs over any backend that implements them.
 */
@Export
@Version("1.2.0")
package org.devrt.pci;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
