package org.devrt.emulator.internal.gateway;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.devrt.device.MacAddress;
import org.devrt.emulator.internal.net.FrameSink;
import org.devrt.emulator.internal.net.SwitchPort;
import org.devrt.emulator.internal.net.Switches;
import org.junit.After;
import org.junit.Test;

/** A devrt.emulator.gateway configuration keeps a gateway on its switch while it exists; a bad one is one error line. */
public class GatewayComponentTest {
    private static final MacAddress HOST = MacAddress.parse("52:54:00:12:34:56");
    private static final byte[] HOST_IP = {10, 0, 2, 15};

    private final Switches switches = new Switches();
    private final List<String> errors = new ArrayList<>();
    private final List<GatewayComponent> components = new ArrayList<>();
    private final List<byte[]> received = new ArrayList<>();
    private SwitchPort host;

    @After
    public void tearDown() {
        components.forEach(GatewayComponent::deactivate);
        if (host != null) {
            host.close();
        }
    }

    private GatewayComponent component(String... properties) {
        GatewayComponent component = new GatewayComponent();
        component.switches = switches;
        component.errors = errors::add;
        Map<String, Object> map = new HashMap<>();
        map.put("service.pid", "devrt.emulator.gateway~default");
        map.put("service.factoryPid", "devrt.emulator.gateway");
        map.put("felix.fileinstall.filename", "file:/srv/devrt/conf/devrt.emulator.gateway-default.cfg");
        for (String property : properties) {
            String[] kv = property.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        component.activate(null, map); // no framework: the refusal is only said
        components.add(component);
        return component;
    }

    /** A host on switch {@code name} that keeps what it receives. */
    private void host(String name) {
        FrameSink sink = frame -> {
            byte[] copy = new byte[frame.remaining()];
            frame.get(frame.position(), copy);
            received.add(copy);
        };
        host = switches.attach(name, "host", sink);
    }

    /** The host asks who has {@code target} (RFC 826, broadcast, padded to 60 bytes). */
    private void arpRequest(byte[] target) {
        ByteBuffer f = ByteBuffer.allocate(60);
        f.put(MacAddress.BROADCAST.toBytes()).put(HOST.toBytes()).putShort((short) 0x0806);
        f.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        f.put(HOST.toBytes()).put(HOST_IP).put(new byte[6]).put(target);
        host.send(f.clear());
    }

    private static byte[] slice(byte[] frame, int from, int length) {
        byte[] out = new byte[length];
        System.arraycopy(frame, from, out, 0, length);
        return out;
    }

    @Test
    public void theGatewayOnTheDefaultSwitchAnswersArpWithQemusMac() {
        GatewayComponent gateway = component("address=10.0.2.2");
        host(GatewayComponent.DEFAULT_SWITCH);
        arpRequest(new byte[] {10, 0, 2, 2});

        assertEquals(List.of(), errors);
        assertEquals("answers", 1, received.size());
        byte[] reply = received.get(0);
        MacAddress qemu = MacAddress.parse("52:55:0a:00:02:02");
        assertArrayEquals("to the asker", HOST.toBytes(), slice(reply, 0, 6));
        assertArrayEquals("from 52:55 and the address", qemu.toBytes(), slice(reply, 6, 6));
        assertEquals("ARP reply", 2, reply[21]);
        assertArrayEquals("sender address", new byte[] {10, 0, 2, 2}, slice(reply, 28, 4));
        assertArrayEquals("target", HOST_IP, slice(reply, 38, 4));
        assertEquals(1, gateway.gateway().arpAnswered());
        assertEquals(List.of("gateway 10.0.2.2", "host"), switches.get("default").portNames());
    }

    /** Edited to another MAC, the gateway was unreachable for a minute: hosts kept its old MAC in their caches. */
    @Test
    public void aGatewayThatComesUpAnnouncesItselfToTheHostsOnItsSwitch() {
        host(GatewayComponent.DEFAULT_SWITCH);
        component("address=10.0.2.2", "mac=52:55:0a:00:02:99");

        assertEquals("one announcement", 1, received.size());
        byte[] announcement = received.get(0);
        assertArrayEquals("broadcast", MacAddress.BROADCAST.toBytes(), slice(announcement, 0, 6));
        assertEquals("ARP request", 1, announcement[21]);
        assertArrayEquals("its new MAC as the sender's", MacAddress.parse("52:55:0a:00:02:99").toBytes(),
                slice(announcement, 22, 6));
        assertArrayEquals("its address as sender and target", slice(announcement, 28, 4), slice(announcement, 38, 4));
    }

    @Test
    public void theSwitchAndMacAreConfigurableAndOtherAddressesAreNotAnswered() {
        component("switch=lab", "address=192.168.7.1", "mac=02:00:00:00:00:01");
        host("lab");
        arpRequest(new byte[] {10, 0, 2, 2});
        assertEquals("not its address", 0, received.size());
        arpRequest(new byte[] {(byte) 192, (byte) 168, 7, 1});
        assertEquals(1, received.size());
        assertArrayEquals(MacAddress.parse("02:00:00:00:00:01").toBytes(), slice(received.get(0), 22, 6));
        assertTrue("not on the default switch", switches.find("default").isEmpty());
    }

    @Test
    public void deletingTheConfigurationTakesTheGatewayOffTheSwitch() {
        GatewayComponent gateway = component("address=10.0.2.2");
        host("default");
        gateway.deactivate();
        components.remove(gateway);
        arpRequest(new byte[] {10, 0, 2, 2});
        assertEquals(0, received.size());
        assertEquals(List.of("host"), switches.get("default").portNames());
        assertNull(gateway.gateway());
    }

    @Test
    public void aBadConfigurationIsOneErrorLineNamingTheFileAndTheProblem() {
        component();
        component("address=10.0.2.300");
        component("address=224.0.0.1");
        component("address=10.0.2.2", "mac=01:00:5e:00:00:01");
        component("address=10.0.2.2", "switch=no spaces");
        assertEquals(5, errors.size());
        String file = "configuration devrt.emulator.gateway~default"
                + " (/srv/devrt/conf/devrt.emulator.gateway-default.cfg): ";
        errors.forEach(e -> assertTrue(e, e.startsWith(file) && e.endsWith("; no gateway")));
        assertTrue(errors.get(0), errors.get(0).contains("no 'address' property (e.g. address = 10.0.2.2)"));
        assertTrue(errors.get(1), errors.get(1).contains("address '10.0.2.300'"));
        assertTrue(errors.get(2), errors.get(2).contains("address 224.0.0.1 is not a unicast address"));
        assertTrue(errors.get(3), errors.get(3).contains("mac 01:00:5e:00:00:01 must be unicast"));
        assertTrue(errors.get(4), errors.get(4).contains("switch name 'no spaces'"));
        assertTrue("nothing attached", switches.switches().isEmpty());
    }

    @Test
    public void twoGatewaysWithOneAddressOnOneSwitchAreRefused() {
        component("address=10.0.2.2");
        component("address=10.0.2.2", "mac=02:00:00:00:00:02");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0), errors.get(0).contains("has a port named gateway 10.0.2.2 already"));
        component("address=10.0.2.3");
        assertEquals(List.of("gateway 10.0.2.2", "gateway 10.0.2.3"), switches.get("default").portNames());
    }
}
