/**
 * The device-service registry, the {@code devsvc} shell command and the bridge from the OSGi log to SLF4J.
 * Private to this bundle: other bundles use the {@link org.devrt.device.DeviceServiceRegistry} service.
 */
package org.devrt.registry.internal;
