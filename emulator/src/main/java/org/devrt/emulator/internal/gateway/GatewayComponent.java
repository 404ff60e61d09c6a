package org.devrt.emulator.internal.gateway;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Consumer;

import org.devrt.device.MacAddress;
import org.devrt.emulator.internal.net.FrameSink;
import org.devrt.emulator.internal.net.SwitchPort;
import org.devrt.emulator.internal.net.Switches;
import org.devrt.network.internal.gateway.EmulatedGateway;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.registry.condition.RefusedConfiguration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an emulated gateway on a virtual switch while a {@code devrt.emulator.gateway} factory configuration exists:
 * adding {@code conf/devrt.emulator.gateway-default.cfg} attaches it, deleting the file detaches it, editing it
 * re-attaches it. Its port is named {@code gateway <address>}, so two gateways of one switch need two addresses. A bad
 * configuration is one ERROR line naming the file and the problem; nothing else is affected.
 *
 * <p>Threads and locks: the switch delivers a frame on the sender's thread (the one running a NIC's transmit unit,
 * holding no lock of its NIC then); the gateway answers on that thread under its own monitor, and the switch delivers
 * the answer to the asker's NIC, which takes that NIC's lock. The order is always gateway, then NIC, so it cannot
 * deadlock.
 */
@Component(configurationPid = GatewayComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = GatewayConfig.class, factory = true)
public final class GatewayComponent {
    static final String PID = "devrt.emulator.gateway";
    static final String DEFAULT_SWITCH = "default";
    private static final Logger LOG = LoggerFactory.getLogger(GatewayComponent.class);

    /** The switches it joins; a test gives its own. */
    Switches switches = Switches.shared();

    /** Where a refused configuration is said; a test replaces it. */
    Consumer<String> errors = LOG::error;

    private Endpoint endpoint;
    private RefusedConfiguration refused;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        try {
            String switchName = text(properties, "switch", DEFAULT_SWITCH);
            Ipv4Address address = address(properties);
            MacAddress mac = mac(properties, address);
            Endpoint e = new Endpoint(new EmulatedGateway(mac, address));
            e.port = switches.attach(switchName, "gateway " + address, e);
            endpoint = e;
            LOG.info("gateway {} ({}) on switch {}", address, mac, switchName);
            e.gateway.announce(e); // hosts that knew it by another MAC learn this one now
        } catch (IllegalArgumentException e) {
            refused = new RefusedConfiguration(context, properties, e.getMessage() + "; no gateway");
            errors.accept(refused.line());
        }
    }

    @Deactivate
    void deactivate() {
        if (refused != null) {
            refused.withdraw();
        }
        Endpoint e = endpoint;
        endpoint = null;
        if (e != null) {
            e.port.close();
            LOG.info("gateway {} left switch {} ({} ARP requests and {} pings answered)", e.gateway.address(),
                    e.port.switchName(), e.gateway.arpAnswered(), e.gateway.echoAnswered());
        }
    }

    /** The gateway attached, or null; for tests. */
    EmulatedGateway gateway() {
        Endpoint e = endpoint;
        return e == null ? null : e.gateway;
    }

    private static Ipv4Address address(Map<String, Object> properties) {
        String text = text(properties, "address", null);
        if (text == null) {
            throw new IllegalArgumentException("no 'address' property (e.g. address = 10.0.2.2)");
        }
        Ipv4Address address;
        try {
            address = Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("address '" + text + "': " + e.getMessage(), e);
        }
        if (!Ipv4Address.isUnicastSource(address.value()) || Ipv4Address.isLoopback(address.value())) {
            throw new IllegalArgumentException("address " + address
                    + " is not a unicast address a host may have (not 0.0.0.0, 127/8, multicast or 240/4)");
        }
        return address;
    }

    /** The configured MAC, or 52:55 and the four bytes of {@code address}, as QEMU gives its gateway. */
    private static MacAddress mac(Map<String, Object> properties, Ipv4Address address) {
        String text = text(properties, "mac", null);
        if (text == null) {
            int a = address.value();
            return MacAddress.of(new byte[] {0x52, 0x55, (byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8),
                (byte) a});
        }
        MacAddress mac;
        try {
            mac = MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mac '" + text + "': " + e.getMessage(), e);
        }
        if (mac.isMulticast() || mac.equals(MacAddress.of(new byte[6]))) {
            throw new IllegalArgumentException("mac " + mac
                    + " must be unicast (bit 0 of the first byte clear) and not 00:00:00:00:00:00");
        }
        return mac;
    }

    /** The trimmed text of a property, or {@code otherwise} when it is missing or blank. */
    private static String text(Map<String, Object> properties, String key, String otherwise) {
        Object value = properties.get(key);
        return value == null || value.toString().isBlank() ? otherwise : value.toString().trim();
    }

    /** The gateway's side of its switch port: frames from the switch go to the gateway, its answers to the port. */
    private static final class Endpoint implements FrameSink, org.devrt.network.internal.gateway.FrameSink {
        final EmulatedGateway gateway;
        /** Set right after attaching; a frame flooded to the port before that is not for the gateway yet. */
        volatile SwitchPort port;

        Endpoint(EmulatedGateway gateway) {
            this.gateway = gateway;
        }

        @Override
        public void receive(ByteBuffer frame) {
            if (port != null) {
                gateway.receive(frame, this);
            }
        }

        @Override
        public void send(ByteBuffer frame) {
            port.send(frame);
        }
    }
}
