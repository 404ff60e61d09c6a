package org.devrt.network.internal.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceService;
import org.devrt.device.MacAddress;
import org.devrt.device.NetworkDevice;
import org.devrt.network.UdpService;
import org.devrt.network.UdpSocket;
import org.devrt.network.internal.iface.DeviceLink;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;
import org.devrt.registry.condition.ConditionPublisher;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack in the runtime. Every {@link NetworkDevice} service becomes an interface (whiteboard: they come and go),
 * named eth0, eth1, ... by device id: the name its MAC's configuration asks for if free, else the lowest free one
 * in the order they first appear (the name stays with the device id, index =
 * number + 2 as {@code ip link} numbers them), configured from the {@link InterfaceSettings} for its MAC and brought
 * up; when the device goes the interface goes, and sockets bound to its address fail with "interface eth0 went
 * away". Posts {@link DeviceEvents#INTERFACE_UP} and {@link DeviceEvents#INTERFACE_DOWN}. Also the
 * {@link UdpService}.
 */
@Component(service = {UdpService.class, NetworkStackComponent.class, EventHandler.class}, immediate = true,
        property = EventConstants.EVENT_TOPIC + "=" + DeviceEvents.LINK)
public final class NetworkStackComponent implements UdpService, EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkStackComponent.class);

    /** Where a configuration that works but conflicts with another is said; a test replaces it. */
    Consumer<String> warnings = LOG::warn;
    /** The condition registered while the stack has an interface on every network device (always, once active). */
    static final String SETTLED = "devrt.network.settled";
    /** Its property: the interfaces. */
    static final String INTERFACES = "devrt.interfaces";

    /**
     * A configuration of a NIC and where it came from: its component, or in tests its settings themselves. Kept one
     * per source, found by identity: two files with the same settings are two entries, so that deleting one leaves
     * the other's address (by equality they were one, and the NIC lost its address).
     */
    private record Source(Object key, InterfaceSettings settings) {
    }

    /** An interface over a device service. */
    private record Attached(String name, DeviceLink link, MacAddress mac, String deviceId) {
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin events;

    private final StackThread thread;
    private final Map<Long, Attached> attached = new HashMap<>();
    /**
     * The configurations for each MAC, in the order they came: the last applies, and when it goes the one before it
     * applies again (deleting a duplicate file left the NIC with no address although its own file was there).
     */
    private final Map<MacAddress, List<Source>> settings = new LinkedHashMap<>();
    private final Map<String, Integer> numbers = new HashMap<>();
    /** How many times the interfaces were read for devrt.interfaces; written under the component's lock. */
    private volatile long readings;
    /** devrt.network.settled; null until activated (and in tests). */
    private volatile ConditionPublisher settled;

    public NetworkStackComponent() {
        this(StackConfig.DEFAULTS);
    }

    NetworkStackComponent(StackConfig config) {
        this.thread = new StackThread(config);
    }

    @Activate
    void activate(BundleContext context) {
        thread.start();
        settled = context == null ? null : new ConditionPublisher(context, SETTLED);
        publishInterfaces();
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            for (Long id : attached.keySet().toArray(new Long[0])) {
                detach(id);
            }
            // a socket bound to any address had no interface to fail with: udplisten waited for ever
            stack().closeSockets("the network stack stopped");
            thread.close();
        }
        ConditionPublisher p = settled;
        if (p != null) {
            p.close();
        }
    }

    /**
     * Registers, or updates, the condition {@code devrt.network.settled}: an interface is made on every network
     * device as its service arrives, so the stack is always settled; the property {@code devrt.interfaces} lists
     * them ({@code eth0 10.0.2.15/24 52:54:00:12:34:56}) for the boot banner. Called without the component's lock.
     * Of two threads that changed the interfaces, the one that read them first may come to publish last: it then
     * publishes nothing, since what it read is no longer the newest ({@link #readings}).
     */
    private void publishInterfaces() {
        ConditionPublisher p = settled;
        if (p == null) {
            return;
        }
        String[] interfaces;
        long reading;
        synchronized (this) {
            interfaces = attached.values().stream().sorted(Comparator.comparing(Attached::name)).map(a -> {
                InterfaceSettings st = current(a.mac());
                return a.name() + " " + (st == null ? "(no address)" : st.cidr()) + " " + a.mac();
            }).toArray(String[]::new);
            reading = ++readings;
        }
        p.publish(Map.of(INTERFACES, interfaces), () -> reading == readings);
    }

    /**
     * A network device's link went down or came back ({@link DeviceEvents#LINK}, posted by its driver): its
     * interface forgets its neighbours, or announces its address again ({@link Stack#carrierChanged}).
     */
    @Override
    public void handleEvent(Event event) {
        Object deviceId = event.getProperty(DeviceEvents.DEVICE_ID);
        Object up = event.getProperty(DeviceEvents.LINK_UP);
        if (!(up instanceof Boolean carrier)) {
            return;
        }
        String name;
        synchronized (this) {
            name = attached.values().stream().filter(a -> a.deviceId().equals(deviceId)).map(Attached::name)
                    .findFirst().orElse(null);
        }
        if (name != null) { // a device without an interface (gone meanwhile): nothing to do
            stack().carrierChanged(name, carrier);
        }
    }

    /** The stack, for the shell. */
    public Stack stack() {
        return thread.stack();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(NetworkDevice device, Map<String, Object> properties) {
        attach(device, properties);
        publishInterfaces();
    }

    private synchronized void attach(NetworkDevice device, Map<String, Object> properties) {
        Long serviceId = (Long) properties.get(Constants.SERVICE_ID);
        if (attached.containsKey(serviceId)) {
            // Bound twice: seen at boot when the driver registers the device while SCR is activating this component
            // (once from the service event, once from the activation), a few milliseconds apart.
            LOG.debug("service {} ({}) is attached already", serviceId, properties.get(DeviceService.DEVICE_ID));
            return;
        }
        Object id = properties.get(DeviceService.DEVICE_ID);
        String deviceId = id == null ? "service-" + serviceId : id.toString();
        DeviceLink link = new DeviceLink(device, stack().config().linkQueueFrames(), stack()::frameArrived);
        InterfaceSettings asked = current(link.macAddress());
        int number = numbers.computeIfAbsent(deviceId, k -> asked != null && asked.number() >= 0
                && !numbers.containsValue(asked.number()) ? asked.number() : lowestFreeNumber(link.macAddress()));
        String name = "eth" + number;
        stack().addInterface(name, number + 2, link);
        attached.put(serviceId, new Attached(name, link, link.macAddress(), deviceId));
        InterfaceSettings s = current(link.macAddress());
        String twin = attached.values().stream().filter(a -> a.mac().equals(link.macAddress())
                && !a.name().equals(name)).map(Attached::name).findFirst().orElse(null);
        if (twin != null) { // configurations are keyed by MAC: both NICs get the same address
            LOG.warn("{} ({}) has the MAC of {}, {}: two NICs on one link with one MAC confuse every peer's ARP{}",
                    name, deviceId, twin, link.macAddress(), s == null ? "" : ", and both get " + s.cidr());
        }
        if (s != null) {
            stack().configure(name, s.cidr(), s.gateway());
        }
        link.attach();
        stack().setUp(name, true);
        LOG.info("{}: {} ({}), {}", name, deviceId, link.macAddress(),
                s == null ? "no address configured for its MAC" : s.cidr() + (s.gateway() == null ? "" : " via " + s.gateway()));
        post(DeviceEvents.INTERFACE_UP, name, deviceId);
    }

    void removeDevice(NetworkDevice device, Map<String, Object> properties) {
        synchronized (this) {
            detach((Long) properties.get(Constants.SERVICE_ID));
        }
        publishInterfaces();
    }

    private void detach(Long serviceId) {
        Attached a = attached.remove(serviceId);
        if (a == null) {
            return;
        }
        a.link().detach();
        stack().removeInterface(a.name(), "interface " + a.name() + " went away");
        LOG.info("{}: {} went away", a.name(), a.deviceId());
        post(DeviceEvents.INTERFACE_DOWN, a.name(), a.deviceId());
    }

    /**
     * {@code ip link set NAME up|down}: brings an interface up (announcing its address) or down, and posts
     * INTERFACE_UP or INTERFACE_DOWN.
     *
     * @throws IllegalArgumentException "no interface NAME"
     */
    public synchronized void setInterfaceUp(String name, boolean up) {
        stack().setUp(name, up);
        String deviceId = attached.values().stream().filter(a -> a.name().equals(name)).map(Attached::deviceId)
                .findFirst().orElse("");
        post(up ? DeviceEvents.INTERFACE_UP : DeviceEvents.INTERFACE_DOWN, name, deviceId);
    }

    /** An interface configuration (bound before the devices when both are there as the stack starts). */
    @Reference(name = "Configuration", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedConfiguration")
    void addConfiguration(InterfaceConfigComponent c) {
        synchronized (this) { // its settings read under the lock, so that an edit's callback cannot come between
            InterfaceSettings s = c.settings();
            if (s != null) {
                configureLocked(c, s);
            }
        }
        publishInterfaces();
    }

    /**
     * Its file was edited ({@link InterfaceConfigComponent#modified}, which SCR calls before this): the interface
     * moves to the new settings.
     */
    void updatedConfiguration(InterfaceConfigComponent c) {
        synchronized (this) {
            reconfigureLocked(c, c.settings());
        }
        publishInterfaces();
    }

    void removeConfiguration(InterfaceConfigComponent c) {
        unconfigureLocked(c);
        publishInterfaces();
    }

    /** A configuration for a MAC came: applied now if its NIC is here, else when it comes. Its own key (tests). */
    void configure(InterfaceSettings s) {
        configureLocked(s, s);
        publishInterfaces();
    }

    /**
     * The configuration from {@code source} (its component) came: it applies to its NIC, after every other for that
     * NIC (the last that came applies).
     */
    private synchronized void configureLocked(Object source, InterfaceSettings s) {
        InterfaceSettings previous = current(s.mac());
        List<Source> forMac = settings.computeIfAbsent(s.mac(), k -> new ArrayList<>());
        forMac.removeIf(e -> e.key() == source);
        forMac.add(new Source(source, s));
        if (previous != null && !previous.equals(s)) {
            warnings.accept("two configurations for MAC " + s.mac() + ": " + s + " replaces " + previous
                    + " (which applies again if this one goes)");
        }
        settings.keySet().stream().filter(mac -> !mac.equals(s.mac())).map(this::current)
                .forEach(other -> warnConflicts(s, other));
        apply(s.mac(), s);
    }

    /**
     * Says what in {@code s} works against {@code other}, another NIC's configuration: each is applied as it is
     * (a second gateway can be meant), but one address twice, or one network on two links, sent replies out of the
     * wrong interface, and with two default gateways which one served depended on the order the NICs came.
     */
    private void warnConflicts(InterfaceSettings s, InterfaceSettings other) {
        if (s.cidr().address().equals(other.cidr().address())) {
            warnings.accept("configurations " + s + " and " + other + " give two NICs one address: peers' ARP finds"
                    + " either, replies leave by either; give each its own");
        } else if (overlap(s.cidr(), other.cidr())) {
            warnings.accept("configurations " + s + " and " + other + " put two NICs on overlapping networks: the"
                    + " stack routes them by either interface, so some traffic leaves by the wrong one; give each link"
                    + " its own network");
        }
        if (s.gateway() != null && other.gateway() != null) {
            warnings.accept("configurations " + s + " and " + other + " each give a default gateway: the stack uses"
                    + " one of them, which depends on the order the NICs came; leave the gateway out of one");
        }
    }

    private static boolean overlap(Ipv4Cidr a, Ipv4Cidr b) {
        int mask = Ipv4Cidr.netmask(Math.min(a.prefixLength(), b.prefixLength()));
        return (a.network() & mask) == (b.network() & mask);
    }

    /** The configuration that applies to the NIC with {@code mac}: the last that came; null for none. */
    private InterfaceSettings current(MacAddress mac) {
        List<Source> forMac = settings.get(mac);
        return forMac == null ? null : forMac.get(forMac.size() - 1).settings();
    }

    /** Configures the interface of the NIC with {@code mac}, if it is here, with {@code s} (null: no address). */
    private void apply(MacAddress mac, InterfaceSettings s) {
        for (Attached a : attached.values()) {
            if (a.mac().equals(mac)) {
                stack().configure(a.name(), s == null ? null : s.cidr(), s == null ? null : s.gateway());
            }
        }
    }

    /**
     * The configuration from {@code source} was edited to {@code now} (null: refused). For the same NIC it keeps its
     * place among that NIC's configurations, and the interface goes straight to it: an unchanged address keeps its
     * sockets and its neighbours ({@link org.devrt.network.internal.iface.Interface#configure}).
     */
    private synchronized void reconfigureLocked(Object source, InterfaceSettings now) {
        Source before = sourced(source);
        if (before == null || now == null || !before.settings().mac().equals(now.mac())) {
            // refused before or now, or now for another NIC
            unconfigureLocked(source);
            if (now != null) {
                configureLocked(source, now);
            }
            return;
        }
        InterfaceSettings applied = current(now.mac());
        settings.get(now.mac()).replaceAll(e -> e == before ? new Source(source, now) : e); // in its place
        settings.keySet().stream().filter(mac -> !mac.equals(now.mac())).map(this::current)
                .forEach(other -> warnConflicts(now, other));
        if (!current(now.mac()).equals(applied)) {
            apply(now.mac(), current(now.mac()));
        }
    }

    /** The entry that came from {@code source}, or null. */
    private Source sourced(Object source) {
        return settings.values().stream().flatMap(List::stream).filter(e -> e.key() == source).findFirst()
                .orElse(null);
    }

    /** A configuration went (its own key: tests): its interface, if here, loses its address. */
    void unconfigure(InterfaceSettings s) {
        unconfigureLocked(s);
        publishInterfaces();
    }

    /** The configuration from {@code source} went: if it applied, the one before it for that NIC applies again. */
    private synchronized void unconfigureLocked(Object source) {
        Source gone = sourced(source);
        if (gone == null) {
            return; // refused: it configured nothing
        }
        MacAddress mac = gone.settings().mac();
        List<Source> forMac = settings.get(mac);
        boolean applied = forMac.get(forMac.size() - 1) == gone;
        forMac.removeIf(e -> e == gone);
        if (forMac.isEmpty()) {
            settings.remove(mac);
        }
        if (applied) {
            InterfaceSettings again = current(mac);
            if (again != null) {
                LOG.info("configuration {} for MAC {} applies again", again, mac);
            }
            apply(mac, again);
        }
    }

    @Override
    public UdpSocket bind(InetSocketAddress local) throws IOException {
        if (local.isUnresolved()) {
            throw new IOException("unresolved address " + local.getHostString());
        }
        int address;
        if (local.getAddress().isAnyLocalAddress()) {
            address = 0;
        } else {
            try {
                address = Ipv4Address.of(local.getAddress()).value();
            } catch (IllegalArgumentException e) {
                throw new IOException("Address family not supported: " + local.getAddress().getHostAddress());
            }
        }
        return stack().bindUdp(address, local.getPort());
    }

    /** The lowest number no device holds and no other NIC's configuration asks for. */
    private int lowestFreeNumber(MacAddress mac) {
        int n = 0;
        while (numbers.containsValue(n) || asked(n, mac)) {
            n++;
        }
        return n;
    }

    private boolean asked(int number, MacAddress except) {
        return settings.keySet().stream().map(this::current)
                .anyMatch(s -> s.number() == number && !s.mac().equals(except));
    }

    private void post(String topic, String name, String deviceId) {
        EventAdmin ea = events;
        if (ea != null) {
            ea.postEvent(new Event(topic, Map.of(DeviceEvents.INTERFACE, name, DeviceEvents.DEVICE_ID, deviceId)));
        }
    }
}
