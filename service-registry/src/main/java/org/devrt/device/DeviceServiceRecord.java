package org.devrt.device;

import java.util.Objects;

/**
 * What the device-service registry knows of one device service.
 *
 * @param serviceId the OSGi service id
 * @param type the {@link DeviceService#DEVICE_TYPE}
 * @param interfaces the service's object classes, comma-separated
 * @param deviceId the device it serves
 * @param pciAddress the PCI address of that device, or ""
 * @param driverId the driver id the service declares, or ""
 * @param bundleId the id of the bundle that registered it
 * @param bundleSymbolicName that bundle's symbolic name
 */
public record DeviceServiceRecord(long serviceId, String type, String interfaces, String deviceId,
        String pciAddress, String driverId, long bundleId, String bundleSymbolicName) {
    public DeviceServiceRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(interfaces, "interfaces");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(pciAddress, "pciAddress");
        Objects.requireNonNull(driverId, "driverId");
        Objects.requireNonNull(bundleSymbolicName, "bundleSymbolicName");
    }
}
