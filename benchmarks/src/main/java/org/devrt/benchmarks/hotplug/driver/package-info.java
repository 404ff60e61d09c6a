/**
 * The driver of the hot-plug benchmark. These classes never run in the benchmark's own class space (they need
 * {@code org.devrt.pci}, which only the runtime's bundles have): {@code DriverRepository} copies their class
 * files into a driver bundle, which the device manager installs from the benchmark's repository.
 */
package org.devrt.benchmarks.hotplug.driver;
