package org.devrt.ethernet.e1000;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceService;
import org.devrt.device.MacAddress;
import org.devrt.device.NetworkDevice;
import org.devrt.pci.BarInfo;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.DriverAttachment;
import org.devrt.pci.DriverContext;
import org.junit.After;
import org.junit.Test;
import org.osgi.service.event.Event;

/** Probe, acquire, initialise, publish; and detach in reverse. */
public class E1000DriverTest {
    static final Map<String, Object> CONTEXT_PROPERTIES = Map.of(DeviceService.DEVICE_ID, "test/0000:00:03.0",
            DeviceService.PCI_ADDRESS, "0000:00:03.0", DeviceService.DRIVER_ID, "e1000");

    final List<String> log = new ArrayList<>();
    final Map<String, Object> published = new HashMap<>();
    final RecordingEventAdmin eventAdmin = new RecordingEventAdmin();
    final List<Event> events = eventAdmin.events;
    final List<DriverAttachment> attached = new ArrayList<>();
    NetworkDevice device;

    @After
    public void detachAll() {
        attached.forEach(DriverAttachment::detach);
    }

    E1000Driver driver() {
        E1000Driver d = new E1000Driver();
        d.rxRingSize = 16;
        d.txRingSize = 16;
        d.publisher = (dev, props) -> {
            device = dev;
            published.putAll(props);
            log.add("published");
            return () -> log.add("unpublished");
        };
        d.eventAdmin = eventAdmin;
        return d;
    }

    static DriverContext context() {
        return new TestContext("test/0000:00:03.0", CONTEXT_PROPERTIES);
    }

    @Test
    public void attachPublishesOneNetworkDeviceWithTheContextPropertiesTypeAndDescription() throws Exception {
        FakeFunction f = new FakeFunction(0x8086, 0x100E);
        attached.add(driver().attach(f, context()));
        assertEquals(List.of("published"), log);
        assertEquals("network", published.get(DeviceService.DEVICE_TYPE));
        assertEquals("Intel 82540EM Gigabit Ethernet Controller", published.get(DeviceService.DESCRIPTION));
        for (Map.Entry<String, Object> e : CONTEXT_PROPERTIES.entrySet()) {
            assertEquals(e.getKey(), e.getValue(), published.get(e.getKey()));
        }
        assertEquals(MacAddress.parse("52:54:00:12:34:56"), device.macAddress());
        assertEquals(1500, device.mtu());
        assertTrue(device.isLinkUp());
    }

    @Test
    public void attachTurnsOnMemorySpaceAndBusMasteringAndLeavesInterruptsEnabled() throws Exception {
        FakeFunction f = new FakeFunction(0x8086, 0x100E);
        f.config.write16(ConfigSpace.COMMAND, ConfigSpace.COMMAND_INTX_DISABLE);
        attached.add(driver().attach(f, context()));
        assertEquals(ConfigSpace.COMMAND_MEMORY_SPACE | ConfigSpace.COMMAND_BUS_MASTER,
                f.config.read16(ConfigSpace.COMMAND));
    }

    @Test
    public void probeRefusesOtherVendorsOtherDevicesAndAnIoBar0() {
        assertThrows(IOException.class, () -> E1000Driver.probe(new FakeFunction(0x10EC, 0x100E)));
        IOException e = assertThrows(IOException.class, () -> E1000Driver.probe(new FakeFunction(0x8086, 0x1076)));
        assertTrue(e.getMessage(), e.getMessage().contains("8086:1076"));
        FakeFunction io = new FakeFunction(0x8086, 0x100E);
        io.bar0 = BarInfo.Kind.IO;
        assertThrows(IOException.class, () -> E1000Driver.probe(io));
    }

    @Test
    public void detachUnpublishesBeforeStoppingThenFreesEverythingAndStopsBusMastering() throws Exception {
        FakeFunction f = new FakeFunction(0x8086, 0x100F);
        long dmaAtStart = f.dma.available();
        E1000Driver d = driver();
        d.publisher = (dev, props) -> () -> log.add("unpublished while RCTL.EN=" + ((f.io.get(E1000Regs.RCTL)
                & E1000Regs.RCTL_EN) != 0));
        DriverAttachment a = d.attach(f, context());
        a.detach();
        assertEquals(List.of("unpublished while RCTL.EN=true"), log);
        assertEquals(0, f.io.get(E1000Regs.RCTL) & E1000Regs.RCTL_EN);
        assertEquals(0, f.io.get(E1000Regs.TCTL) & E1000Regs.TCTL_EN);
        assertEquals(dmaAtStart, f.dma.available());
        assertEquals(0, f.config.read16(ConfigSpace.COMMAND) & ConfigSpace.COMMAND_BUS_MASTER);
    }

    @Test
    public void aFailedBringUpGivesBackTheDmaMemoryAndTheInterruptLine() {
        FakeFunction f = new FakeFunction(0x8086, 0x100E);
        f.io.eepromAnswers = false;
        long dmaAtStart = f.dma.available();
        assertThrows(IOException.class, () -> driver().attach(f, context()));
        assertEquals(dmaAtStart, f.dma.available());
        assertEquals(null, f.irq.handler);
        assertTrue(log.isEmpty());
    }

    @Test
    public void linkChangesArePostedAsLinkEventsWithTheDeviceId() throws Exception {
        FakeFunction f = new FakeFunction(0x8086, 0x100E);
        attached.add(driver().attach(f, context()));
        f.io.setStatus(0);
        f.io.cause(E1000Regs.INT_LSC);
        f.irq.fire();
        E1000NicTest.await("event", () -> !events.isEmpty());
        Event e = events.get(0);
        assertEquals(DeviceEvents.LINK, e.getTopic());
        assertSame(Boolean.FALSE, e.getProperty(DeviceEvents.LINK_UP));
        assertEquals("test/0000:00:03.0", e.getProperty(DeviceEvents.DEVICE_ID));
        assertFalse(device.isLinkUp());
    }
}
