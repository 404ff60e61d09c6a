package org.devrt.itests.net;

import static org.junit.Assert.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.devrt.device.DeviceEvents;
import org.devrt.emulator.EmulatedMachine;
import org.devrt.itests.RuntimeTestSupport;
import org.devrt.network.UdpService;
import org.devrt.pci.PciAddress;
import org.junit.After;
import org.junit.Before;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The network stack over an emulated e1000 NIC that a test plugs and configures itself. The class's conf/ copy has
 * no emulated functions and no interface or gateway configurations of the shipped machine, so the test's NIC is the
 * only one and its addresses are the only ones. Interface and gateway configurations are made through Configuration
 * Admin; after each test its NICs are unplugged and its configurations deleted.
 */
public abstract class NetTestSupport extends RuntimeTestSupport {
    static final String INTERFACE_PID = "devrt.network.interface";
    static final String GATEWAY_PID = "devrt.emulator.gateway";
    static final String DEVICE_PREFIX = "emulated/";

    protected EmulatedMachine machine;
    protected ConfigurationAdmin configurations;
    protected UdpService udp;
    /** The devrt/interface/* events since the test began, in order. */
    protected final List<Event> interfaceEvents = new CopyOnWriteArrayList<>();

    private ServiceRegistration<EventHandler> handler;
    private final List<Configuration> made = new ArrayList<>();
    private final List<PciAddress> plugged = new ArrayList<>();

    /** Leaves out every emulated function, interface and gateway configuration of the shipped conf/. */
    @Override
    protected void prepareConf(Path conf) throws IOException {
        try (Stream<Path> files = Files.list(conf)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("devrt.emulator.function-") || name.startsWith(INTERFACE_PID + "-")
                        || name.startsWith(GATEWAY_PID + "-")) {
                    Files.delete(f);
                }
            }
        }
    }

    @Before
    public void networkStackIsUp() throws Exception {
        awaitRuntimeStarted();
        machine = awaitService(EmulatedMachine.class, null);
        assertNotNull("no EmulatedMachine service (devrt.emulator)", machine);
        configurations = awaitService(ConfigurationAdmin.class, null);
        assertNotNull("no ConfigurationAdmin service (org.apache.felix.configadmin)", configurations);
        udp = awaitService(UdpService.class, null);
        assertNotNull("no UdpService service (devrt.network)", udp);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, "devrt/interface/*");
        handler = context.registerService(EventHandler.class, interfaceEvents::add, props);
        awaitCommand("devrt", "ping", "devrt.network");
        awaitCommand("devrt", "ip", "devrt.network");
    }

    @After
    public void unplugAndUnconfigure() throws Exception {
        try {
            for (PciAddress a : plugged) {
                try {
                    machine.unplug(a);
                } catch (IllegalArgumentException alreadyGone) {
                    // the test unplugged it
                }
            }
            for (Configuration c : made) {
                try {
                    c.delete();
                } catch (IllegalStateException alreadyDeleted) {
                    // the test deleted it
                }
            }
        } finally {
            plugged.clear();
            made.clear();
            if (handler != null) {
                handler.unregister();
            }
        }
    }

    /** A name no other test run uses: {@code prefix} and 8 hex digits. */
    protected static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The device id of the function at {@code address} on the emulated bus. */
    protected static String deviceId(PciAddress address) {
        return DEVICE_PREFIX + address;
    }

    /** Plugs an e1000 NIC with these options, unplugged after the test. */
    protected void plugNic(PciAddress address, Map<String, String> options) {
        machine.plug(address, "e1000", options);
        if (!plugged.contains(address)) {
            plugged.add(address);
        }
    }

    /** A factory configuration of {@code factoryPid}, made through Configuration Admin and deleted after the test. */
    protected Configuration configure(String factoryPid, Map<String, String> properties) throws IOException {
        Configuration c = configurations.getFactoryConfiguration(factoryPid, unique("it-"), "?");
        c.update(new Hashtable<>(properties));
        made.add(c);
        return c;
    }

    /** The interface address of the NIC with {@code mac}: {@code cidr} and gateway {@code gateway}. */
    protected Configuration configureInterface(String mac, String cidr, String gateway) throws IOException {
        return configure(INTERFACE_PID, Map.of("mac", mac, "address", cidr, "gateway", gateway));
    }

    /** The events of {@code topic} about the device at {@code address}, in order. */
    protected List<Event> interfaceEvents(String topic, PciAddress address) {
        String id = deviceId(address);
        return interfaceEvents.stream().filter(e -> e.getTopic().equals(topic)
                && String.valueOf(e.getProperty(DeviceEvents.DEVICE_ID)).startsWith(id)).toList();
    }

    /** The name of the interface over the NIC at {@code address}, waiting for its {@code count}-th UP event. */
    protected String awaitInterfaceUp(PciAddress address, int count) throws InterruptedException {
        await(count + " " + DeviceEvents.INTERFACE_UP + " event(s) for " + deviceId(address) + "; events: "
                + interfaceEvents, () -> interfaceEvents(DeviceEvents.INTERFACE_UP, address).size() >= count);
        return (String) interfaceEvents(DeviceEvents.INTERFACE_UP, address).get(count - 1)
                .getProperty(DeviceEvents.INTERFACE);
    }

    /** Waits until {@code ip addr show NAME} shows the interface UP with {@code cidr}; returns what it showed. */
    protected String awaitAddress(String name, String cidr) throws InterruptedException {
        await(name + " UP with inet " + cidr, () -> {
            String shown = shellQuietly("ip addr show " + name);
            return shown.contains("state UP") && shown.contains("inet " + cidr + " ");
        });
        return shellQuietly("ip addr show " + name);
    }

    /** The first line of {@code text} that starts with {@code prefix} (after leading blanks). */
    protected static Optional<String> line(String text, String prefix) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(prefix)).findFirst();
    }

    @Override
    protected String state() {
        return "ip addr:\n" + shellQuietly("ip addr") + "\nip route:\n" + shellQuietly("ip route") + "\narp -n:\n"
                + shellQuietly("arp -n") + "\ndevices:\n" + shellQuietly("devices") + "\ninterface events: "
                + interfaceEvents.stream().map(e -> e.getTopic() + " " + e.getProperty(DeviceEvents.INTERFACE) + " "
                        + e.getProperty(DeviceEvents.DEVICE_ID)).toList();
    }
}
