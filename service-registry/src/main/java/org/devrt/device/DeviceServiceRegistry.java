package org.devrt.device;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The map from drivers to the device services they provide, kept from the OSGi service registry.
 * Lists are snapshots, ordered by service id.
 */
@ProviderType
public interface DeviceServiceRegistry {
    /** Every device service now registered. */
    List<DeviceServiceRecord> all();

    /** The device services of one {@link DeviceService#DEVICE_TYPE}. */
    List<DeviceServiceRecord> byType(String type);

    /** The device services that serve one device. */
    List<DeviceServiceRecord> byDevice(String deviceId);

    /** The device services registered by one bundle. */
    List<DeviceServiceRecord> byBundle(long bundleId);
}
