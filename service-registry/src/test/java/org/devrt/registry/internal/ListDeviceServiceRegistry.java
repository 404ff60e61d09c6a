package org.devrt.registry.internal;

import java.util.List;

import org.devrt.device.DeviceServiceRecord;
import org.devrt.device.DeviceServiceRegistry;

/** A registry that answers from a fixed list, in service-id order as the real one. */
final class ListDeviceServiceRegistry implements DeviceServiceRegistry {
    private final List<DeviceServiceRecord> records;

    ListDeviceServiceRegistry(DeviceServiceRecord... records) {
        this.records = List.of(records);
    }

    @Override
    public List<DeviceServiceRecord> all() {
        return records;
    }

    @Override
    public List<DeviceServiceRecord> byType(String type) {
        return records.stream().filter(r -> r.type().equals(type)).toList();
    }

    @Override
    public List<DeviceServiceRecord> byDevice(String deviceId) {
        return records.stream().filter(r -> r.deviceId().equals(deviceId)).toList();
    }

    @Override
    public List<DeviceServiceRecord> byBundle(long bundleId) {
        return records.stream().filter(r -> r.bundleId() == bundleId).toList();
    }
}
