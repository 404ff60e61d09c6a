/**
 * The device-service registry and the {@code devsvc} shell command.
 * Private to this bundle: other bundles use the {@link org.devrt.device.DeviceServiceRegistry} service.
 */
package org.devrt.registry.internal;
