/**
 * Device services: the contracts every devrt bundle speaks.
 *
 * <p>Drivers register {@link org.devrt.device.BlockDevice} and {@link org.devrt.device.NetworkDevice}
 * services carrying the properties named in {@link org.devrt.device.DeviceService}. Consumers (the VFS,
 * the network stack) track those services; they are told when a device comes and goes and never look
 * drivers up. {@link org.devrt.device.DeviceEvents} names the EventAdmin topics, and
 * {@link org.devrt.device.DriverNamespace} the manifest capability with which a driver bundle declares,
 * as data, which devices it drives.
 */
@Export
@Version("1.0.0")
package org.devrt.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
