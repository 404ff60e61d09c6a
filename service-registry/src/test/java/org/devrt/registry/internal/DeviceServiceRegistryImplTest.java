package org.devrt.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceService;
import org.devrt.device.DeviceServiceRecord;
import org.devrt.device.NetworkDevice;
import org.devrt.registry.fakes.FakeBundle;
import org.devrt.registry.fakes.FakeBundleContext;
import org.devrt.registry.fakes.FakeServiceReference;
import org.junit.Before;
import org.junit.Test;
import org.osgi.service.event.Event;

public class DeviceServiceRegistryImplTest {
    private static final String DISK = "pci-0000:00:1f.2/port0";
    private static final String NIC = "pci-0000:00:03.0/port0";

    private final FakeBundle ahci = new FakeBundle(7, "devrt.ahci-driver");
    private final FakeBundle e1000 = new FakeBundle(8, "devrt.ethernet-driver");
    private final FakeBundleContext context = new FakeBundleContext(new FakeBundle(3, "devrt.service-registry"));
    private final RecordingEventAdmin events = new RecordingEventAdmin();
    private final DeviceServiceRegistryImpl registry = new DeviceServiceRegistryImpl();

    @Before
    public void giveEventAdmin() {
        registry.eventAdmin = events;
    }

    @Test
    public void recordsTheDeviceServicesThatExistAtActivation() throws Exception {
        context.register(disk(42));
        context.register(nic(43));

        registry.activate(context);

        assertEquals(List.of(
                new DeviceServiceRecord(42, "block", BlockDevice.class.getName(), DISK, "0000:00:1f.2", "ahci", 7,
                        "devrt.ahci-driver"),
                new DeviceServiceRecord(43, "network", NetworkDevice.class.getName(), NIC, "0000:00:03.0", "e1000", 8,
                        "devrt.ethernet-driver")),
                registry.all());
        assertEquals(List.of(DeviceEvents.SERVICE_AVAILABLE, DeviceEvents.SERVICE_AVAILABLE), events.topics());
    }

    @Test
    public void aServiceRegisteredLaterIsRecordedAndPostedWithItsIdentity() throws Exception {
        registry.activate(context);

        context.register(disk(42));

        assertEquals(List.of(42L), serviceIds(registry.all()));
        Event event = events.posted.get(0);
        assertEquals(DeviceEvents.SERVICE_AVAILABLE, event.getTopic());
        assertEquals(DISK, event.getProperty(DeviceEvents.DEVICE_ID));
        assertEquals("block", event.getProperty(DeviceEvents.DEVICE_TYPE));
        assertEquals("ahci", event.getProperty(DeviceEvents.DRIVER_ID));
        assertEquals(42L, event.getProperty(DeviceEvents.SERVICE_ID));
    }

    @Test
    public void anUnregisteredServiceIsDroppedAndPostedAsGone() throws Exception {
        FakeServiceReference disk = disk(42);
        context.register(disk);
        registry.activate(context);

        context.unregister(disk);

        assertEquals(List.of(), registry.all());
        assertEquals(List.of(DeviceEvents.SERVICE_AVAILABLE, DeviceEvents.SERVICE_GONE), events.topics());
        assertEquals(DISK, events.posted.get(1).getProperty(DeviceEvents.DEVICE_ID));
    }

    @Test
    public void aServiceSeenByBothListenerAndScanIsRecordedOnce() throws Exception {
        context.register(nic(41));
        context.beforeServiceQueryAnswer(() -> context.register(disk(42)));

        registry.activate(context);

        assertEquals(List.of(41L, 42L), serviceIds(registry.all()));
        assertEquals(2, events.posted.size());
    }

    @Test
    public void aServiceThatLeavesDuringTheScanIsNotRecorded() throws Exception {
        FakeServiceReference disk = disk(42);
        context.register(disk);
        context.afterServiceQueryAnswer(() -> context.unregister(disk));

        registry.activate(context);

        assertEquals(List.of(), registry.all());
    }

    @Test
    public void aServiceLeavingWhileTheScanRecordsItIsNotRecorded() throws Exception {
        FakeServiceReference disk = disk(42);
        context.register(disk);
        context.afterServiceQueryAnswer(() -> context.fireUnregistering(disk)); // still registered, but going

        registry.activate(context);

        assertEquals(List.of(), registry.all());
        assertEquals(List.of(), events.topics());
    }

    @Test
    public void aModificationOfWhatIsRecordedIsPostedAsGoneThenAvailable() throws Exception {
        FakeServiceReference disk = disk(42);
        context.register(disk);
        registry.activate(context);

        Map<String, Object> moved = deviceProperties("block", DISK, "0000:00:1f.2", "ahci-v2");
        context.modify(disk, moved);

        assertEquals("ahci-v2", registry.all().get(0).driverId());
        assertEquals(List.of(DeviceEvents.SERVICE_AVAILABLE, DeviceEvents.SERVICE_GONE, DeviceEvents.SERVICE_AVAILABLE),
                events.topics());
        assertEquals("ahci", events.posted.get(1).getProperty(DeviceEvents.DRIVER_ID));
        assertEquals("ahci-v2", events.posted.get(2).getProperty(DeviceEvents.DRIVER_ID));
    }

    @Test
    public void aModificationOfOtherPropertiesPostsNothing() throws Exception {
        FakeServiceReference disk = disk(42);
        context.register(disk);
        registry.activate(context);

        Map<String, Object> described = deviceProperties("block", DISK, "0000:00:1f.2", "ahci");
        described.put(DeviceService.DESCRIPTION, "QEMU HARDDISK");
        context.modify(disk, described);

        assertEquals(1, events.posted.size());
    }

    @Test
    public void aServiceThatLosesItsDeviceIdIsGone() throws Exception {
        FakeServiceReference disk = disk(42);
        context.register(disk);
        registry.activate(context);

        context.modify(disk, Map.of(DeviceService.DEVICE_TYPE, "block"));

        assertEquals(List.of(), registry.all());
        assertEquals(DeviceEvents.SERVICE_GONE, events.posted.get(1).getTopic());
    }

    @Test
    public void missingPropertiesAreRecordedAsUnknownTypeAndEmptyText() throws Exception {
        registry.activate(context);

        context.register(new FakeServiceReference(50, ahci, new String[] {"a.B", "a.C"},
                Map.of(DeviceService.DEVICE_ID, "odd-device")));

        assertEquals(new DeviceServiceRecord(50, "unknown", "a.B,a.C", "odd-device", "", "", 7, "devrt.ahci-driver"),
                registry.all().get(0));
    }

    @Test
    public void queriesSelectAndAreOrderedByServiceId() throws Exception {
        context.register(disk(44));
        context.register(nic(43));
        context.register(new FakeServiceReference(42, ahci, new String[] {BlockDevice.class.getName()},
                deviceProperties("block", "pci-0000:00:1f.2/port1", "0000:00:1f.2", "ahci")));
        registry.activate(context);

        assertEquals(List.of(42L, 43L, 44L), serviceIds(registry.all()));
        assertEquals(List.of(42L, 44L), serviceIds(registry.byType("block")));
        assertEquals(List.of(43L), serviceIds(registry.byBundle(8)));
        assertEquals(List.of(44L), serviceIds(registry.byDevice(DISK)));
        assertEquals(List.of(), registry.byType("gpu"));
    }

    @Test
    public void answersAreSnapshots() throws Exception {
        registry.activate(context);
        context.register(disk(42));
        List<DeviceServiceRecord> before = registry.all();

        context.register(nic(43));

        assertEquals(1, before.size());
        assertThrows(UnsupportedOperationException.class, () -> before.add(before.get(0)));
    }

    @Test
    public void worksWithoutEventAdmin() throws Exception {
        registry.eventAdmin = null;
        registry.activate(context);

        context.register(disk(42));

        assertEquals(1, registry.all().size());
    }

    @Test
    public void deactivationStopsListening() throws Exception {
        registry.activate(context);
        assertEquals(1, context.serviceListenerCount());

        registry.deactivate();

        assertEquals(0, context.serviceListenerCount());
        assertTrue(registry.all().isEmpty());
    }

    private FakeServiceReference disk(long serviceId) {
        return new FakeServiceReference(serviceId, ahci, new String[] {BlockDevice.class.getName()},
                deviceProperties("block", DISK, "0000:00:1f.2", "ahci"));
    }

    private FakeServiceReference nic(long serviceId) {
        return new FakeServiceReference(serviceId, e1000, new String[] {NetworkDevice.class.getName()},
                deviceProperties("network", NIC, "0000:00:03.0", "e1000"));
    }

    private static Map<String, Object> deviceProperties(String type, String deviceId, String pci, String driver) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(DeviceService.DEVICE_TYPE, type);
        properties.put(DeviceService.DEVICE_ID, deviceId);
        properties.put(DeviceService.PCI_ADDRESS, pci);
        properties.put(DeviceService.DRIVER_ID, driver);
        return properties;
    }

    private static List<Long> serviceIds(List<DeviceServiceRecord> records) {
        return records.stream().map(DeviceServiceRecord::serviceId).toList();
    }
}
