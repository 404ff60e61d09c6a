package org.devrt.devicemanager.internal;

import java.util.Map;
import java.util.function.Consumer;

import org.devrt.pci.DriverContext;

/** What a driver is told about the device it attaches to, and where its reported problems go. */
record DriverContextImpl(String deviceId, Map<String, Object> serviceProperties, Consumer<String> problems)
        implements DriverContext {
    DriverContextImpl {
        serviceProperties = Map.copyOf(serviceProperties);
    }

    @Override
    public void problem(String problem) {
        problems.accept(problem == null ? "" : problem.strip());
    }
}
