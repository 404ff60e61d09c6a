package org.devrt.itests.nic;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.devrt.device.DeviceInventory;
import org.devrt.device.DeviceService;
import org.devrt.device.DeviceServiceRegistry;
import org.devrt.device.DeviceState;
import org.devrt.device.DeviceStatus;
import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.device.NetworkDevice;
import org.devrt.emulator.EmulatedMachine;
import org.devrt.itests.RuntimeTestSupport;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;
import org.junit.After;
import org.junit.Before;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Emulated Intel 82540EM NICs (model {@code e1000}) driven by the real driver bundle, devrt.ethernet-driver, which
 * the device manager installs from the runtime's driver repository (runtime/target/drivers) when a NIC is plugged.
 *
 * <p>The class's copy of conf/ has no emulated functions of its own ({@link #prepareConf}), so the machine has only
 * the NICs the tests plug; each test plugs its NICs at its own slots, on a virtual switch named for that test run
 * alone, and they are unplugged after it. A test takes a NIC's frames by installing its own {@link FrameLog} as the
 * {@link NetworkDevice}'s receiver, in place of the network stack's.
 */
public abstract class NicTestSupport extends RuntimeTestSupport {
    static final String DRIVER_BSN = "devrt.ethernet-driver";
    static final String DRIVER_ID = "e1000";
    static final String REPOSITORY_LOCATION = "devrt-repository:";
    static final String MODEL = "e1000";
    static final String MANAGER_CFG = "devrt.devicemanager.cfg";
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Prefixes of the conf/ files that make the shipped machine: left out of this class's copy. */
    static final List<String> SHIPPED_MACHINE = List.of("devrt.emulator.function-", "devrt.network.interface-",
            "devrt.emulator.gateway-");

    protected DeviceInventory inventory;
    protected EmulatedMachine machine;
    protected DeviceServiceRegistry deviceServices;
    /** Six hex digits, new for each test: names of switches, interfaces and tags made with it are this run's. */
    protected final String run = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    private final Map<String, Nic> plugged = new LinkedHashMap<>();
    private final List<ServiceReference<NetworkDevice>> got = new ArrayList<>();

    /** A NIC a test plugged: its device id, slot, MAC address and model options. */
    protected record Nic(String id, PciAddress address, MacAddress mac, Map<String, String> options) {
        @Override
        public String toString() {
            return id + " (MAC " + mac + ")";
        }
    }

    /**
     * Leaves the shipped machine's emulated functions, interface and gateway configurations
     * ({@code devrt.emulator.function-*}, {@code devrt.network.interface-*}, {@code devrt.emulator.gateway-*}) out of
     * this class's copy of conf/, so only the tests' NICs are on the machine and nothing else sends on them, and keeps
     * driver bundles the manager installed for an hour after their last device went (driverGraceSeconds), so that
     * none is uninstalled between two tests.
     */
    @Override
    protected void prepareConf(Path conf) throws IOException {
        try (Stream<Path> files = Files.list(conf)) {
            for (Path f : files.filter(f -> SHIPPED_MACHINE.stream().anyMatch(f.getFileName().toString()::startsWith))
                    .toList()) {
                Files.delete(f);
            }
        }
        Path manager = conf.resolve(MANAGER_CFG);
        List<String> lines = Files.exists(manager)
                ? new ArrayList<>(Files.readAllLines(manager, StandardCharsets.ISO_8859_1)) : new ArrayList<>();
        lines.removeIf(line -> line.matches("\\s*driverGraceSeconds\\s*[=:].*"));
        lines.add("driverGraceSeconds = 3600");
        Files.write(manager, lines, StandardCharsets.ISO_8859_1);
    }

    @Before
    public void nicRuntimeUp() throws Exception {
        awaitRuntimeStarted();
        inventory = awaitService(DeviceInventory.class, null);
        assertNotNull("no DeviceInventory service (devrt.device-manager)", inventory);
        machine = awaitService(EmulatedMachine.class, null);
        assertNotNull("no EmulatedMachine service (devrt.emulator)", machine);
        deviceServices = awaitService(DeviceServiceRegistry.class, null);
        assertNotNull("no DeviceServiceRegistry service (devrt.service-registry)", deviceServices);
    }

    @After
    public void unplugTheTestsNics() throws Exception {
        try {
            List<Nic> nics = new ArrayList<>(plugged.values());
            Collections.reverse(nics);
            for (Nic nic : nics) {
                try {
                    machine.unplug(nic.address());
                } catch (IllegalArgumentException alreadyUnplugged) {
                    // the test unplugged it
                }
            }
            for (Nic nic : nics) {
                await(nic.id() + " gone from the inventory after the test's NICs were unplugged",
                        () -> inventory.device(nic.id()).isEmpty());
            }
        } finally {
            plugged.clear();
            for (ServiceReference<NetworkDevice> ref : got) {
                try {
                    context.ungetService(ref);
                } catch (IllegalStateException alreadyGone) {
                    // the service went with its driver
                }
            }
            got.clear();
        }
    }

    // ---- NICs ---------------------------------------------------------------------------------------------

    /** A switch name for this test run alone (the switches of the emulator bundle live as long as it does). */
    protected String switchName(String what) {
        return "itest-" + what + "-" + run;
    }

    /** A locally administered unicast MAC address that says the slot: 02:de:7e:00:&lt;device&gt;:&lt;function&gt;. */
    protected static MacAddress macFor(String slot) {
        PciAddress a = PciAddress.parse(slot);
        return MacAddress.of(new byte[] {0x02, (byte) 0xde, 0x7e, 0, (byte) a.device(), (byte) a.function()});
    }

    /** Plugs an e1000 at {@code slot} (e.g. 00:11.0) on {@code backend}, with {@link #macFor} its slot. */
    protected Nic plugNic(String slot, String backend) {
        return plugNic(slot, Map.of("backend", backend, "mac", macFor(slot).toString()));
    }

    /** Plugs an e1000 at {@code slot} with these model options ({@code mac} among them). */
    protected Nic plugNic(String slot, Map<String, String> options) {
        PciFunction f = machine.plug(PciAddress.parse(slot), MODEL, options);
        Nic nic = new Nic(f.busId() + "/" + f.address(), f.address(), MacAddress.parse(options.get("mac")),
                Map.copyOf(options));
        plugged.put(nic.id(), nic);
        return nic;
    }

    /** Plugs {@code nic} again, at its slot with its options (hot plug after {@link #unplug}). */
    protected Nic replug(Nic nic) {
        return plugNic(nic.address().toShortString(), nic.options());
    }

    /** Surprise removal, as the {@code unplug} command does. */
    protected void unplug(Nic nic) {
        machine.unplug(nic.address());
    }

    // ---- devices and their NetworkDevice services ---------------------------------------------------------

    /**
     * Waits until the device manager has bound the e1000 driver to {@code nic} and its {@link NetworkDevice} service
     * has the NIC's MAC address and link up; returns the service.
     */
    protected NetworkDevice awaitPort(Nic nic) throws InterruptedException {
        DeviceStatus status = awaitDevice(nic, "BOUND to the " + DRIVER_ID + " driver", s -> s.state() == DeviceState.BOUND);
        assertEquals("driver bound to " + nic.id() + "\n" + state(), DRIVER_ID, status.driverId());
        await("a NetworkDevice service with " + DeviceService.DEVICE_ID + "=" + nic.id(), () -> reference(nic) != null);
        ServiceReference<NetworkDevice> ref = reference(nic);
        assertEquals("driver of the NetworkDevice service of " + nic.id(), DRIVER_ID,
                ref.getProperty(DeviceService.DRIVER_ID));
        assertEquals(DeviceService.DEVICE_TYPE + " of the service of " + nic.id(), DeviceService.TYPE_NETWORK,
                ref.getProperty(DeviceService.DEVICE_TYPE));
        assertEquals(DeviceService.PCI_ADDRESS + " of the service of " + nic.id(), nic.address().toString(),
                ref.getProperty(DeviceService.PCI_ADDRESS));
        assertEquals("bundle that registered the NetworkDevice of " + nic.id(), DRIVER_BSN,
                ref.getBundle().getSymbolicName());
        NetworkDevice port = context.getService(ref);
        assertNotNull("the NetworkDevice service of " + nic.id() + " went while being got\n" + state(), port);
        got.add(ref);
        assertEquals("MAC address of the NetworkDevice of " + nic.id() + " (the driver reads it from the EEPROM)",
                nic.mac(), port.macAddress());
        await("link up on " + nic, port::isLinkUp);
        return port;
    }

    /** The NetworkDevice service of {@code nic}, or null. */
    protected ServiceReference<NetworkDevice> reference(Nic nic) {
        try {
            return context.getServiceReferences(NetworkDevice.class,
                    "(" + DeviceService.DEVICE_ID + "=" + filterValue(nic.id()) + ")").stream().findFirst().orElse(null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(nic.id(), e);
        }
    }

    /** Waits until {@code nic}'s record satisfies {@code ok}; fails with the devices, services and drivers if not. */
    protected DeviceStatus awaitDevice(Nic nic, String expected, Predicate<DeviceStatus> ok) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<DeviceStatus> s = inventory.device(nic.id());
        while (s.isEmpty() || !ok.test(s.get())) {
            if (System.nanoTime() > deadline) {
                fail(nic.id() + " is not " + expected + " after " + WAIT.toSeconds() + " s: it is "
                        + s.map(NicTestSupport::describe).orElse("not in the inventory") + "\n" + state());
            }
            Thread.sleep(20);
            s = inventory.device(nic.id());
        }
        return s.get();
    }

    /** The installed bundles of the e1000 driver. */
    protected List<Bundle> driverBundles() {
        return Arrays.stream(context.getBundles()).filter(b -> DRIVER_BSN.equals(b.getSymbolicName())).toList();
    }

    // ---- frames -------------------------------------------------------------------------------------------

    /** Installs a new {@link FrameLog} as {@code port}'s receiver and returns it. */
    protected static FrameLog listen(NetworkDevice port) {
        FrameLog log = new FrameLog();
        port.setReceiver(log);
        return log;
    }

    /** A tag for a series of test frames: this run, and what the series is. */
    protected String tag(String what) {
        return "devrt-itest " + run + " " + what;
    }

    /**
     * Transmits {@code count} {@link Frames#testFrame test frames} tagged {@code tag} from {@code port} to
     * {@code to}, failing if the driver refuses one; returns them as sent.
     */
    protected List<byte[]> transmitSeries(NetworkDevice port, MacAddress to, String tag, int count) {
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] frame = Frames.testFrame(to, port.macAddress(), tag, i);
            assertTrue(tag + ": the driver refused frame #" + i + " (" + Frames.describe(frame)
                    + "): transmit ring full or link down; counters " + port.counters() + "\n" + state(),
                    port.transmit(ByteBuffer.wrap(frame)));
            sent.add(frame);
        }
        return sent;
    }

    /**
     * Waits until {@code log} has received as many frames tagged {@code tag} as were {@code sent}, then checks that
     * they are exactly those frames, byte for byte and in order, and that no more come.
     */
    protected void assertReceivedExactly(String what, FrameLog log, String tag, List<byte[]> sent)
            throws InterruptedException {
        Predicate<byte[]> series = f -> Frames.isTestFrame(f, tag);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (log.matching(series).size() < sent.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(100); // a duplicate would come right behind
        List<byte[]> received = log.matching(series);
        if (received.size() != sent.size()) {
            fail(what + ": received " + received.size() + " of the " + sent.size() + " frames sent (tag '" + tag
                    + "') within " + WAIT.toSeconds() + " s; all " + log.size() + " frames received: "
                    + log.all().stream().limit(10).map(Frames::describe).toList() + "\n" + state());
        }
        for (int i = 0; i < sent.size(); i++) {
            String difference = Frames.firstDifference(sent.get(i), received.get(i));
            if (difference != null) {
                fail(what + ": received frame " + i + " is not the frame sent as #" + i + ": " + difference
                        + "\n  sent     " + Frames.describe(sent.get(i)) + "\n  received " + Frames.describe(received.get(i)));
            }
        }
    }

    /** The sum of the lengths of {@code frames}. */
    protected static long bytes(List<byte[]> frames) {
        return frames.stream().mapToLong(f -> f.length).sum();
    }

    // ---- counters -----------------------------------------------------------------------------------------

    /** {@code after - before}, field by field. */
    protected static NetworkCounters delta(NetworkCounters after, NetworkCounters before) {
        return new NetworkCounters(after.rxPackets() - before.rxPackets(), after.rxBytes() - before.rxBytes(),
                after.rxDropped() - before.rxDropped(), after.rxErrors() - before.rxErrors(),
                after.txPackets() - before.txPackets(), after.txBytes() - before.txBytes(),
                after.txDropped() - before.txDropped(), after.txErrors() - before.txErrors());
    }

    /**
     * Waits until {@code port}'s counters have grown from {@code before} by exactly {@code expected} (a transmitted
     * frame is counted when the device has written its descriptor back); fails naming every field.
     */
    protected void awaitCountersGrewBy(String what, NetworkDevice port, NetworkCounters before,
            NetworkCounters expected) throws InterruptedException {
        awaitEqual(what + ": counters grown since the traffic began (after - before)", expected,
                () -> delta(port.counters(), before));
    }

    /** Waits until {@code actual} gives {@code expected}; fails with both and the state if it does not. */
    protected <T> void awaitEqual(String what, T expected, Supplier<T> actual) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T last = actual.get();
        while (!Objects.equals(expected, last) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = actual.get();
        }
        if (!Objects.equals(expected, last)) {
            fail(what + " after " + WAIT.toSeconds() + " s:\n  expected " + expected + "\n  but is   " + last + "\n"
                    + state());
        }
    }

    // ---- what failure messages show -----------------------------------------------------------------------

    /** The emulated devices, the network device services and the e1000 driver bundles. */
    @Override
    protected String state() {
        StringBuilder out = new StringBuilder("devices (emulated bus):\n");
        if (inventory != null) {
            inventory.devices().stream().filter(s -> s.deviceId().startsWith("emulated/"))
                    .forEach(s -> out.append("  ").append(describe(s)).append('\n'));
        }
        out.append("network device services:\n");
        try {
            for (ServiceReference<NetworkDevice> ref : context.getServiceReferences(NetworkDevice.class, null)) {
                out.append(String.format("  [%s] %s driver %s from %s%n", ref.getProperty("service.id"),
                        ref.getProperty(DeviceService.DEVICE_ID), ref.getProperty(DeviceService.DRIVER_ID),
                        ref.getBundle() == null ? "(gone)" : ref.getBundle().getSymbolicName()));
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            out.append("  (").append(e).append(")\n");
        }
        out.append(DRIVER_BSN).append(" bundles:\n");
        for (Bundle b : driverBundles()) {
            out.append(String.format("  [%d] %s %s %s%n", b.getBundleId(), b.getVersion(), stateName(b), b.getLocation()));
        }
        return out.toString();
    }

    static String describe(DeviceStatus s) {
        return s.deviceId() + " " + s.state() + " driver " + (s.driverId().isEmpty() ? "-" : s.driverId())
                + (s.reason().isEmpty() ? "" : " (" + s.reason() + ")");
    }

    /** {@code value} escaped for an LDAP filter. */
    static String filterValue(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
