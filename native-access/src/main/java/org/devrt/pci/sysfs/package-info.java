/**
 * The host backend: a read-only {@link org.devrt.pci.PciBus} over Linux's {@code /sys/bus/pci/devices}.
 *
 * <p>Reading order: {@link org.devrt.pci.sysfs.HostPciBusComponent} (the DS component, PID
 * {@code devrt.pci.host}) registers a {@link org.devrt.pci.sysfs.SysfsPciBus}; on {@code rescan()} the bus lists
 * the function directories and hands each new one to {@link org.devrt.pci.sysfs.SysfsFunctionReader}, which reads
 * the kernel's attribute files ({@code vendor}, {@code class}, {@code resource}, {@code config}, the
 * {@code driver} link, ...) into a {@link org.devrt.pci.sysfs.SysfsPciFunction}.
 *
 * <p>Safety: this package only reads. It never writes a file under sysfs (no bind, unbind, rescan or remove),
 * never opens or maps a {@code resourceN} file and never opens a device node. Config spaces refuse writes and
 * functions refuse to be driven: a driver can be matched against a host function, never attached to it.
 *
 * <p>Private to this bundle: other bundles see only the {@link org.devrt.pci.PciBus} service.
 */
package org.devrt.pci.sysfs;
