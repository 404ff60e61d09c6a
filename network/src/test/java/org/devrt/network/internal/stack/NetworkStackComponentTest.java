package org.devrt.network.internal.stack;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceService;
import org.devrt.device.FrameReceiver;
import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.device.NetworkDevice;
import org.devrt.network.UdpSocket;
import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.wire.Ipv4Address;
import org.junit.After;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The component as DS drives it, with a fake device and a fake EventAdmin. */
public class NetworkStackComponentTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    private final NetworkStackComponent component = new NetworkStackComponent();
    private final List<Event> events = new ArrayList<>();

    {
        component.events = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        };
        component.activate(null);
    }

    @After
    public void stop() {
        component.deactivate();
    }

    private static Map<String, Object> properties(long serviceId, String deviceId) {
        return Map.of(Constants.SERVICE_ID, serviceId, DeviceService.DEVICE_ID, deviceId);
    }

    @Test
    public void aDeviceBecomesAnInterfaceWithTheAddressConfiguredForItsMac() {
        component.configure(InterfaceSettings.parse(MAC.toString(), "10.0.2.15/24", "10.0.2.2"));
        FakeDevice device = new FakeDevice(MAC);
        component.addDevice(device, properties(7, "emulated/0000:00:03.0"));
        InterfaceInfo eth0 = component.stack().interfaces().get(1);
        assertEquals("eth0", eth0.name());
        assertEquals(2, eth0.index());
        assertEquals("10.0.2.15/24", eth0.cidr().toString());
        assertTrue(eth0.up());
        assertTrue("a receiver is installed", device.receiver != null);
        assertTrue("the address is announced", device.sent.stream().anyMatch(Frames::isArp));
        assertEquals(DeviceEvents.INTERFACE_UP, events.get(0).getTopic());
        assertEquals("eth0", events.get(0).getProperty(DeviceEvents.INTERFACE));
    }

    @Test
    public void aDeviceBoundTwiceIsOneInterface() {
        component.configure(InterfaceSettings.parse(MAC.toString(), "10.0.2.15/24", "10.0.2.2"));
        FakeDevice device = new FakeDevice(MAC);
        component.addDevice(device, properties(7, "emulated/0000:00:03.0"));
        component.addDevice(device, properties(7, "emulated/0000:00:03.0")); // as SCR did once at boot
        assertEquals("loopback and eth0", 2, component.stack().interfaces().size());
        assertEquals("one INTERFACE_UP", 1, events.stream()
                .filter(e -> e.getTopic().equals(DeviceEvents.INTERFACE_UP)).count());
        component.removeDevice(device, properties(7, "emulated/0000:00:03.0"));
        assertEquals("the interface went with the one removal", 1, component.stack().interfaces().size());
    }

    /** Each of these was applied in silence; the gateway or half the traffic was then unreachable. */
    @Test
    public void configurationsOfTwoNicsThatWorkAgainstEachOtherAreWarnedOf() {
        List<String> warned = new ArrayList<>();
        component.warnings = warned::add;
        String second = "52:54:00:12:34:57";
        component.configure(InterfaceSettings.parse(MAC.toString(), "10.0.2.15/24", "10.0.2.2"));
        component.configure(InterfaceSettings.parse(second, "10.0.3.15/24", ""));
        assertEquals("different networks, one gateway: nothing to say", List.of(), warned);

        component.configure(InterfaceSettings.parse(second, "10.0.2.16/24", "10.0.2.3"));
        assertEquals(List.of("two configurations for MAC 52:54:00:12:34:57: 52:54:00:12:34:57 10.0.2.16/24 via 10.0.2.3"
                + " replaces 52:54:00:12:34:57 10.0.3.15/24 (which applies again if this one goes)",
                "configurations 52:54:00:12:34:57 10.0.2.16/24 via 10.0.2.3 and 52:54:00:12:34:56 10.0.2.15/24 via"
                        + " 10.0.2.2 put two NICs on overlapping networks: the stack routes them by either interface, so"
                        + " some traffic leaves by the wrong one; give each link its own network",
                "configurations 52:54:00:12:34:57 10.0.2.16/24 via 10.0.2.3 and 52:54:00:12:34:56 10.0.2.15/24 via"
                        + " 10.0.2.2 each give a default gateway: the stack uses one of them, which depends on the order"
                        + " the NICs came; leave the gateway out of one"), warned);

        warned.clear();
        component.configure(InterfaceSettings.parse(second, "10.0.2.15/16", ""));
        assertEquals(2, warned.size());
        assertTrue(warned.get(1), warned.get(1).endsWith("give two NICs one address: peers' ARP finds either,"
                + " replies leave by either; give each its own"));
    }

    /** Deleting the second file for a MAC left the NIC with no address although its own file was still there. */
    @Test
    public void whenTheConfigurationThatReplacedAnotherGoesTheOtherAppliesAgain() {
        InterfaceSettings own = InterfaceSettings.parse(MAC.toString(), "10.0.3.15/24", "");
        InterfaceSettings duplicate = InterfaceSettings.parse(MAC.toString(), "10.0.2.16/24", "");
        component.configure(own);
        component.addDevice(new FakeDevice(MAC), properties(7, "emulated/0000:00:03.0"));
        component.configure(duplicate);
        assertEquals("10.0.2.16/24", component.stack().interfaces().get(1).cidr().toString());

        component.unconfigure(duplicate);
        assertEquals("its own configuration again", "10.0.3.15/24",
                String.valueOf(component.stack().interfaces().get(1).cidr()));
        component.unconfigure(own);
        assertNull("no configuration left", component.stack().interfaces().get(1).cidr());
    }

    /** udplisten on any address waited for ever once the network bundle stopped under it. */
    @Test(timeout = 10000)
    public void whenTheStackStopsAReaderWaitingOnAnySocketIsWokenWithAnError() throws Exception {
        UdpSocket any = component.bind(4000);
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                any.receive(ByteBuffer.allocate(10), Duration.ofDays(1));
                return "received";
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        Thread.sleep(100); // the reader waits
        component.deactivate();
        assertEquals("the network stack stopped", reader.get(5, TimeUnit.SECONDS));
        assertFalse(any.isOpen());
        component.activate(null); // for stop()
    }

    /** A caller that got the stack just before it stopped: its new socket never failed, a udplisten waited a year. */
    @Test(timeout = 10000)
    public void aStoppedStackRefusesNewSockets() throws Exception {
        component.deactivate();
        try {
            IOException e = assertThrows(IOException.class, () -> component.bind(4000));
            assertEquals("the network stack stopped", e.getMessage());
        } finally {
            component.activate(null); // for stop()
        }
    }

    /** The driver's link event reaches the interface over its device: the carrier back, the address is announced. */
    @Test
    public void aLinkEventOfTheDeviceReachesItsInterface() throws Exception {
        component.configure(InterfaceSettings.parse(MAC.toString(), "10.0.2.15/24", ""));
        FakeDevice device = new FakeDevice(MAC);
        component.addDevice(device, properties(7, "emulated/0000:00:03.0"));
        int before = device.sentCount();

        component.handleEvent(new Event(DeviceEvents.LINK, Map.of(DeviceEvents.DEVICE_ID, "emulated/0000:00:03.0",
                DeviceEvents.LINK_UP, true)));
        component.handleEvent(new Event(DeviceEvents.LINK, Map.of(DeviceEvents.DEVICE_ID, "emulated/0000:00:09.0",
                DeviceEvents.LINK_UP, true))); // another device's: nothing

        assertEquals("one announcement", before + 1, device.sentCount());
        assertTrue("an ARP", Frames.isArp(device.sent.get(before)));
    }

    @Test
    public void whenTheDeviceGoesTheInterfaceGoesAndBoundSocketsFail() throws Exception {
        component.configure(InterfaceSettings.parse(MAC.toString(), "10.0.2.15/24", ""));
        FakeDevice device = new FakeDevice(MAC);
        component.addDevice(device, properties(7, "emulated/0000:00:03.0"));
        UdpSocket bound = component.bind(new InetSocketAddress(Ipv4Address.parse("10.0.2.15").toInetAddress(), 5000));
        UdpSocket any = component.bind(4000);
        component.removeDevice(device, properties(7, "emulated/0000:00:03.0"));
        assertNull("the receiver is removed", device.receiver);
        assertEquals(1, component.stack().interfaces().size());
        try {
            bound.receive(ByteBuffer.allocate(10), Duration.ofSeconds(5));
            fail();
        } catch (IOException e) {
            assertEquals("interface eth0 went away", e.getMessage());
        }
        assertFalse(bound.isOpen());
        assertTrue(any.isOpen());
        assertEquals(DeviceEvents.INTERFACE_DOWN, events.get(1).getTopic());
    }

    @Test
    public void aNicGetsTheNameItsConfigurationAsksForWhicheverAppearsFirst() {
        MacAddress second = MacAddress.parse("52:54:00:12:34:57");
        component.configure(InterfaceSettings.parse(MAC.toString(), "10.0.2.15/24", "", "eth0"));
        component.configure(InterfaceSettings.parse(second.toString(), "10.0.3.15/24", "", "eth1"));
        MacAddress unnamed = MacAddress.parse("52:54:00:00:00:09");
        component.addDevice(new FakeDevice(unnamed), properties(6, "emulated/0000:00:05.0")); // first, no name asked
        component.addDevice(new FakeDevice(second), properties(7, "emulated/0000:00:04.0"));
        component.addDevice(new FakeDevice(MAC), properties(8, "emulated/0000:00:03.0"));
        assertEquals(List.of("eth0 10.0.2.15/24", "eth1 10.0.3.15/24", "eth2 null", "lo 127.0.0.1/8"),
                component.stack().interfaces().stream().map(i -> i.name() + " " + i.cidr())
                        .sorted().toList());
    }

    @Test
    public void anInterfaceNameThatIsNotEthNIsRefusedWithTheReason() {
        try {
            InterfaceSettings.parse(MAC.toString(), "10.0.2.15/24", "", "wlan0");
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("name 'wlan0' is not eth0, eth1, ...", e.getMessage());
        }
    }

    @Test
    public void aReplugGetsTheSameNameAndAddressBack() {
        component.configure(InterfaceSettings.parse(MAC.toString(), "10.0.2.15/24", ""));
        component.addDevice(new FakeDevice(MAC), properties(7, "emulated/0000:00:03.0"));
        component.addDevice(new FakeDevice(MacAddress.parse("52:54:00:00:00:02")), properties(8, "emulated/0000:00:04.0"));
        component.removeDevice(null, properties(7, "emulated/0000:00:03.0"));
        component.addDevice(new FakeDevice(MAC), properties(9, "emulated/0000:00:03.0"));
        List<InterfaceInfo> all = component.stack().interfaces();
        assertEquals(List.of("lo", "eth0", "eth1"), all.stream().map(InterfaceInfo::name).toList());
        assertEquals("10.0.2.15/24", all.get(1).cidr().toString());
        assertNull(all.get(2).cidr());
    }

    @Test
    public void aConfigurationThatComesLaterIsAppliedAndOneThatGoesIsRemoved() {
        component.addDevice(new FakeDevice(MAC), properties(7, "d"));
        assertNull(component.stack().interfaces().get(1).cidr());
        InterfaceSettings s = InterfaceSettings.parse(MAC.toString(), "192.168.1.5/24", "192.168.1.1");
        component.configure(s);
        assertEquals("192.168.1.5/24", component.stack().interfaces().get(1).cidr().toString());
        Route first = component.stack().routes().get(0);
        assertEquals(Route.Kind.GATEWAY, first.kind());
        assertEquals(Ipv4Address.parse("192.168.1.1").value(), first.gateway());
        component.unconfigure(s);
        assertNull(component.stack().interfaces().get(1).cidr());
    }

    @Test
    public void framesTheDriverDeliversAreAnsweredByTheStacksThread() throws Exception {
        component.configure(InterfaceSettings.parse(MAC.toString(), "10.0.2.15/24", ""));
        FakeDevice device = new FakeDevice(MAC);
        component.addDevice(device, properties(7, "d"));
        byte[] request = Frames.arpRequest(Frames.PEER_MAC, Frames.PEER, Frames.US);
        int before = device.sentCount();
        Thread driver = new Thread(() -> device.receiver.receive(ByteBuffer.wrap(request)));
        driver.start();
        driver.join();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (device.sentCount() == before && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals("the ARP reply", before + 1, device.sentCount());
    }

    @Test
    public void settingAnInterfaceDownAndUpPostsTheEvents() {
        component.addDevice(new FakeDevice(MAC), properties(7, "d"));
        component.setInterfaceUp("eth0", false);
        assertFalse(component.stack().interfaces().get(1).up());
        component.setInterfaceUp("eth0", true);
        assertEquals(List.of(DeviceEvents.INTERFACE_UP, DeviceEvents.INTERFACE_DOWN, DeviceEvents.INTERFACE_UP),
                events.stream().map(Event::getTopic).toList());
        try {
            component.setInterfaceUp("eth5", true);
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("no interface eth5", e.getMessage());
        }
    }

    @Test
    public void settingsThatCannotWorkAreRefusedWithAReason() {
        assertRefused("", "10.0.2.15/24", "", "no 'mac' property (e.g. mac = 52:54:00:12:34:56)");
        assertRefused(MAC.toString(), "", "", "no 'address' property (e.g. address = 10.0.2.15/24)");
        assertRefused(MAC.toString(), "10.0.2.15/24", "10.0.3.1", "gateway 10.0.3.1 is not in 10.0.2.15/24: it could not be reached");
    }

    /** Each of these was applied in silence: pings then got no answer, or Destination Host Unreachable. */
    @Test
    public void addressesAndGatewaysNoHostCanHaveAreRefusedWithAReason() {
        String m = MAC.toString();
        assertRefused(m, "10.0.2.15", "", "address 10.0.2.15 has no prefix length (e.g. 10.0.2.15/24)");
        assertRefused(m, "0.0.0.0/24", "", "address 0.0.0.0/24 is in 0.0.0.0/8 (\"this network\", RFC 1122), not an"
                + " interface's address");
        assertRefused(m, "127.0.0.5/8", "", "address 127.0.0.5/8 is in 127.0.0.0/8, the loopback network (lo's), not"
                + " an interface's address");
        assertRefused(m, "224.0.0.5/24", "", "address 224.0.0.5/24 is a multicast address (224.0.0.0/4), not an"
                + " interface's address");
        assertRefused(m, "255.255.255.255/24", "", "address 255.255.255.255/24 is the limited broadcast address, not"
                + " an interface's address");
        assertRefused(m, "10.0.2.0/24", "", "address 10.0.2.0/24 is the network address of 10.0.2.0/24, not an"
                + " interface's address");
        assertRefused(m, "10.0.2.255/24", "", "address 10.0.2.255/24 is the broadcast address of 10.0.2.0/24, not an"
                + " interface's address");
        assertRefused(m, "10.0.2.15/24", "10.0.2.15", "gateway 10.0.2.15 is this interface's own address");
        assertRefused(m, "10.0.2.15/24", "10.0.2.255", "gateway 10.0.2.255 is the broadcast address of 10.0.2.0/24,"
                + " not a router's address");
        assertRefused(m, "10.0.2.15/0", "", "address 10.0.2.15/0: a prefix length of 0 puts every address on this"
                + " link (e.g. 10.0.2.15/24)");
        assertRefused(m, "abc", "", "address: not an IPv4 address (want four numbers like 10.0.2.15): abc");
        assertRefused(m, "010.0.2.16/24", "", "address: not an IPv4 address, '010' has a leading zero: 010.0.2.16");
        // the property is named: "not an IPv4 address, bad number '': 10.0.2." said neither which nor what to edit
        assertRefused(m, "10.0.2.15/24", "10.0.2.", "gateway: not an IPv4 address, bad number '': 10.0.2.");
        assertRefused(m, "10.0.2.300/24", "", "address: not an IPv4 address, 300 is above 255: 10.0.2.300");
        InterfaceSettings.parse(m, "10.0.2.1/31", "10.0.2.0"); // RFC 3021: both addresses of a /31 are hosts'
        InterfaceSettings.parse(m, "10.0.2.7/32", "");
    }

    @Test
    public void ipv6IsRefused() throws Exception {
        try {
            component.bind(new InetSocketAddress(java.net.InetAddress.getByName("::1"), 5));
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("Address family not supported"));
        }
    }

    private static void assertRefused(String mac, String address, String gateway, String message) {
        try {
            InterfaceSettings.parse(mac, address, gateway);
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals(message, e.getMessage());
        }
    }

    /**
     * An edit of conf/devrt.network.interface-eth0.cfg as SCR delivers it to a component with {@code @Modified}: the
     * component takes the new values, then the stack's updated callback runs. Without {@code @Modified}, SCR stopped
     * and started the component: the stack took the address away and gave it back, the interface forgot its
     * neighbours and announced itself again, and sends from the address failed in between.
     */
    @Test
    public void anEditOfTheGatewayKeepsTheAddressItsNeighboursAndItsSilence() {
        InterfaceConfigComponent file = configFile(MAC, "10.0.2.15/24", "10.0.2.2");
        component.addConfiguration(file);
        FakeDevice device = new FakeDevice(MAC);
        component.addDevice(device, properties(7, "emulated/0000:00:03.0"));
        long announced = device.sent.stream().filter(Frames::isArp).count();

        file.modified(null, config(MAC, "10.0.2.15/24", "10.0.2.3"), Map.of());
        component.updatedConfiguration(file);

        InterfaceInfo eth0 = component.stack().interfaces().get(1);
        assertEquals("the edited gateway", "10.0.2.3", String.valueOf(eth0.gateway()));
        assertEquals("10.0.2.15/24", String.valueOf(eth0.cidr()));
        assertEquals("ARP frames sent after an edit that left the address as it was (a second announcement means the"
                + " address was taken away and given back)", announced,
                device.sent.stream().filter(Frames::isArp).count());

        component.removeConfiguration(file);
        assertNull("the edited configuration's removal takes the address", component.stack().interfaces().get(1)
                .cidr());
    }

    @Test
    public void anEditOfTheAddressMovesTheInterfaceToItAndAnEditOfTheMacMovesItToTheOtherNic() {
        MacAddress other = MacAddress.parse("52:54:00:12:34:57");
        InterfaceConfigComponent file = configFile(MAC, "10.0.2.15/24", "");
        component.addConfiguration(file);
        FakeDevice first = new FakeDevice(MAC);
        FakeDevice second = new FakeDevice(other);
        component.addDevice(first, properties(7, "emulated/0000:00:03.0"));
        component.addDevice(second, properties(8, "emulated/0000:00:04.0"));

        file.modified(null, config(MAC, "10.0.2.16/24", ""), Map.of());
        component.updatedConfiguration(file);
        assertEquals("10.0.2.16/24", String.valueOf(cidrOf("eth0")));

        file.modified(null, config(other, "10.0.2.16/24", ""), Map.of());
        component.updatedConfiguration(file);
        assertNull("the NIC the file no longer names keeps no address", cidrOf("eth0"));
        assertEquals("10.0.2.16/24", String.valueOf(cidrOf("eth1")));
    }

    /** A second file for the same NIC replaced the first; an edit of the first does not take the second's place. */
    @Test
    public void anEditOfAReplacedConfigurationLeavesTheOneThatAppliesInPlace() {
        List<String> warned = new ArrayList<>();
        component.warnings = warned::add;
        InterfaceConfigComponent first = configFile(MAC, "10.0.2.15/24", "");
        InterfaceConfigComponent second = configFile(MAC, "10.0.2.20/24", "");
        component.addConfiguration(first);
        component.addConfiguration(second);
        component.addDevice(new FakeDevice(MAC), properties(7, "emulated/0000:00:03.0"));

        first.modified(null, config(MAC, "10.0.2.17/24", ""), Map.of());
        component.updatedConfiguration(first);
        assertEquals("10.0.2.20/24", String.valueOf(cidrOf("eth0")));
        component.removeConfiguration(second);
        assertEquals("the edited first file applies again once the second goes", "10.0.2.17/24",
                String.valueOf(cidrOf("eth0")));
    }

    /**
     * Entries were kept by equality: after an edit made a second file for the NIC equal to the first, the two were one
     * entry, and deleting the second file took the NIC's address although the first was still there.
     */
    @Test
    public void twoFilesWithTheSameSettingsAreTwoAndEitherGoingLeavesTheOther() {
        InterfaceConfigComponent first = configFile(MAC, "10.0.2.15/24", "10.0.2.2");
        InterfaceConfigComponent copy = configFile(MAC, "10.0.2.15/24", "10.0.2.3");
        component.warnings = w -> { };
        component.addConfiguration(first);
        component.addConfiguration(copy);
        component.addDevice(new FakeDevice(MAC), properties(7, "emulated/0000:00:03.0"));
        copy.modified(null, config(MAC, "10.0.2.15/24", "10.0.2.2"), Map.of());
        component.updatedConfiguration(copy);

        component.removeConfiguration(copy);
        assertEquals("the first file's address stays", "10.0.2.15/24", String.valueOf(cidrOf("eth0")));
        component.removeConfiguration(first);
        assertNull(cidrOf("eth0"));
    }

    private Object cidrOf(String name) {
        return component.stack().interfaces().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no interface " + name)).cidr();
    }

    /** A configuration component activated from a file with these values, as SCR activates it. */
    private static InterfaceConfigComponent configFile(MacAddress mac, String address, String gateway) {
        InterfaceConfigComponent file = new InterfaceConfigComponent();
        file.activate(null, config(mac, address, gateway), Map.of());
        return file;
    }

    private static InterfaceConfigComponent.Config config(MacAddress mac, String address, String gateway) {
        return new InterfaceConfigComponent.Config() {
            @Override
            public String mac() {
                return mac.toString();
            }

            @Override
            public String address() {
                return address;
            }

            @Override
            public String gateway() {
                return gateway;
            }

            @Override
            public String name() {
                return "";
            }

            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return InterfaceConfigComponent.Config.class;
            }
        };
    }

    /** A NIC that keeps what it is asked to send. */
    static final class FakeDevice implements NetworkDevice {
        final MacAddress mac;
        final List<byte[]> sent = new ArrayList<>();
        volatile FrameReceiver receiver;

        FakeDevice(MacAddress mac) {
            this.mac = mac;
        }

        @Override
        public MacAddress macAddress() {
            return mac;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public boolean isLinkUp() {
            return true;
        }

        @Override
        public synchronized boolean transmit(ByteBuffer frame) {
            byte[] b = new byte[frame.remaining()];
            frame.duplicate().get(b);
            sent.add(b);
            return true;
        }

        synchronized int sentCount() {
            return sent.size();
        }

        @Override
        public void setReceiver(FrameReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public NetworkCounters counters() {
            return NetworkCounters.ZERO;
        }
    }
}
