package org.devrt.ethernet.e1000;

import java.util.Map;

import org.devrt.device.DeviceService;
import org.devrt.pci.DriverContext;

/** What the device manager tells a driver, as it builds it: device id, PCI address, driver id. */
record TestContext(String deviceId, Map<String, Object> serviceProperties) implements DriverContext {
    @Override
    public void problem(String problem) {
        throw new AssertionError("the e1000 driver reported a problem: " + problem);
    }

    static TestContext of(String deviceId, String pciAddress) {
        return new TestContext(deviceId, Map.of(DeviceService.DEVICE_ID, deviceId,
                DeviceService.PCI_ADDRESS, pciAddress, DeviceService.DRIVER_ID, E1000Driver.ID));
    }
}
