package org.devrt.devicemanager.internal;

import java.util.Map;

import org.devrt.pci.DriverContext;

/** What a driver is told about the device it attaches to. */
record DriverContextImpl(String deviceId, Map<String, Object> serviceProperties) implements DriverContext {
    DriverContextImpl {
        serviceProperties = Map.copyOf(serviceProperties);
    }
}
