/**
 * The emulated machine, as seen from outside the emulator: plug and unplug functions at run time, and take the
 * access handles back from a driver. The bus itself is an ordinary {@link org.devrt.pci.PciBus} service with
 * {@code devrt.pci.bus=emulated}; drivers never see this package.
 */
@Export
@Version("1.1.0")
package org.devrt.emulator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
