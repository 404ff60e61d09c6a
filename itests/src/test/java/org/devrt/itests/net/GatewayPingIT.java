package org.devrt.itests.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.devrt.device.DeviceEvents;
import org.devrt.network.UdpSocket;
import org.devrt.pci.PciAddress;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.event.Event;

/**
 * An e1000 NIC on a virtual switch of its own with the emulated gateway (configuration {@code devrt.emulator.gateway})
 * at 10.0.2.2, and its interface configured by MAC (factory configuration {@code devrt.network.interface}) as
 * 10.0.2.15/24 via 10.0.2.2, the way QEMU's user networking has it: ping, the address, route and neighbour tables and
 * the sockets through the Gogo shell; then the NIC unplugged and plugged again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayPingIT extends NetTestSupport {
    static final String ADDRESS = "10.0.2.15";
    static final String CIDR = ADDRESS + "/24";
    static final String GATEWAY = "10.0.2.2";
    static final String GATEWAY_MAC = "52:55:0a:00:02:02";

    /** The interface configuration recommended for the shipped NIC (nic0 at 00:03.0 with QEMU's MAC). */
    static final String SHIPPED_INTERFACE = """
            # IPv4 of the interface over the shipped e1000 (conf/devrt.emulator.function-nic0.cfg), keyed by its MAC so
            # that a re-plugged or re-driven NIC gets it back. Metatype: OSGI-INF/metatype in devrt.network.
            mac = 52:54:00:12:34:56
            address = 10.0.2.15/24
            gateway = 10.0.2.2
            """;
    /** The gateway configuration recommended for the shipped machine. */
    static final String SHIPPED_GATEWAY = """
            # The emulated gateway on the virtual switch "default", where the shipped NIC is plugged: it answers ARP
            # and ping at 10.0.2.2, as QEMU's user networking does. Metatype: OSGI-INF/metatype in devrt.emulator.
            switch = default
            address = 10.0.2.2
            # Its MAC; without it, 52:55 and the address's four bytes (52:55:0a:00:02:02).
            #mac = 52:55:0a:00:02:02
            """;

    /** The switch the last {@link #nicWithGateway} made. */
    private String fabric;

    /** A NIC on a fresh switch with the gateway; returns the interface's name once it is up with its address. */
    private String nicWithGateway(PciAddress slot, String mac) throws Exception {
        fabric = unique("it-net-");
        configure(GATEWAY_PID, Map.of("switch", fabric, "address", GATEWAY));
        configureInterface(mac, CIDR, GATEWAY);
        plugNic(slot, Map.of("backend", "switch:" + fabric, "mac", mac));
        String name = awaitInterfaceUp(slot, 1);
        awaitAddress(name, CIDR);
        return name;
    }

    @Test
    public void pingAddressesRoutesNeighboursAndSocketsThroughTheGatewayOnTheSwitch() throws Exception {
        String mac = "52:54:00:0a:00:01";
        String name = nicWithGateway(PciAddress.parse("00:0a.0"), mac);

        String ping = shell("ping -c 3 " + GATEWAY);
        List<String> lines = ping.lines().toList();
        assertEquals(ping, "PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.", lines.get(0));
        for (int seq = 1; seq <= 3; seq++) {
            String reply = "64 bytes from 10\\.0\\.2\\.2: icmp_seq=" + seq + " ttl=64 time=\\d+(\\.\\d+)? ms";
            assertTrue("reply " + seq + ":\n" + ping, lines.get(seq).matches(reply));
        }
        assertEquals(ping, "", lines.get(4));
        assertEquals(ping, "--- 10.0.2.2 ping statistics ---", lines.get(5));
        assertTrue(ping, lines.get(6).matches("3 packets transmitted, 3 received, 0% packet loss, time \\d+ms"));
        assertTrue(ping, lines.get(7).matches("rtt min/avg/max/mdev = (\\d+\\.\\d{3}/){3}\\d+\\.\\d{3} ms"));

        String addr = shell("ip addr show " + name);
        assertTrue(addr, addr.lines().findFirst().orElse("")
                .matches("\\d+: " + name + ": <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP"));
        assertTrue(addr, addr.contains("link/ether " + mac + " brd ff:ff:ff:ff:ff:ff"));
        assertTrue(addr, addr.contains("inet " + CIDR + " brd 10.0.2.255 scope global " + name));

        String routes = shell("ip route");
        assertTrue(routes, routes.contains("default via " + GATEWAY + " dev " + name + " proto static"));
        assertTrue(routes, routes.contains("10.0.2.0/24 dev " + name + " proto kernel scope link src " + ADDRESS));

        String arp = shell("arp -n");
        assertTrue(arp, arp.startsWith("Address                  HWtype  HWaddress           Flags Mask            Iface"));
        String entry = line(arp, GATEWAY + " ").orElse("");
        assertTrue(arp, entry.matches("10\\.0\\.2\\.2 +ether +" + GATEWAY_MAC + " +C +" + name));
        String neigh = shell("ip neigh");
        assertTrue(neigh, neigh.contains(GATEWAY + " dev " + name + " lladdr " + GATEWAY_MAC + " REACHABLE"));

        try (UdpSocket socket = udp.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), 5555))) {
            String netstat = shell("netstat -anu");
            String socketLine = line(netstat, "udp").orElse("");
            assertTrue(netstat, netstat.contains("Proto Recv-Q Send-Q Local Address           Foreign Address         State"));
            assertTrue(netstat, socketLine.matches("udp +0 +0 10\\.0\\.2\\.15:5555 +0\\.0\\.0\\.0:\\*"));
            assertEquals(new InetSocketAddress(InetAddress.getByName(ADDRESS), 5555), socket.localAddress());
        }
        assertFalse("the closed socket is still listed", shell("netstat -anu").contains(":5555"));
    }

    @Test
    public void anUnpluggedNicTakesItsInterfaceDownAndFailsItsSocketsAndComesBackWithItsNameAndAddress()
            throws Exception {
        PciAddress slot = PciAddress.parse("00:0b.0");
        String mac = "52:54:00:0b:00:01";
        String name = nicWithGateway(slot, mac);
        UdpSocket socket = udp.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), 6666));
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                socket.receive(ByteBuffer.allocate(100), Duration.ofSeconds(30));
                return "received a datagram";
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        Thread.sleep(200);   // the receiver waits

        machine.unplug(slot);

        await("a " + DeviceEvents.INTERFACE_DOWN + " event for " + name,
                () -> !interfaceEvents(DeviceEvents.INTERFACE_DOWN, slot).isEmpty());
        Event down = interfaceEvents(DeviceEvents.INTERFACE_DOWN, slot).get(0);
        assertEquals(name, down.getProperty(DeviceEvents.INTERFACE));
        String failure;
        try {
            failure = waiting.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the waiting receiver failed otherwise", e.getCause());
        }
        assertEquals("what the receiver waiting on " + ADDRESS + ":6666 got", "interface " + name + " went away",
                failure);
        assertFalse("the socket is still open", socket.isOpen());
        try {
            socket.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(InetAddress.getByName(GATEWAY), 9));
            fail("a send through the socket of the gone interface succeeded");
        } catch (IOException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("went away"));
        }
        assertTrue(shell("ip addr").lines().noneMatch(l -> l.contains(": " + name + ":")));

        plugNic(slot, Map.of("backend", "switch:" + fabric, "mac", mac));

        String again = awaitInterfaceUp(slot, 2);
        assertEquals("the name after the re-plug", name, again);
        String addr = awaitAddress(again, CIDR);
        assertTrue(addr, addr.contains("link/ether " + mac));
        String ping = shell("ping -c 1 -W 2 " + GATEWAY);
        assertTrue(ping, ping.contains("1 packets transmitted, 1 received, 0% packet loss"));
        socket.close();
    }

    /** The conf/ files recommended for the shipped machine, read by File Install, give a ping out of the box. */
    @Test
    public void theRecommendedConfFilesForTheShippedNicAndGatewayAnswerPing() throws Exception {
        Path iface = confCopy().resolve(INTERFACE_PID + "-eth0.cfg");
        Path gateway = confCopy().resolve(GATEWAY_PID + "-default.cfg");
        PciAddress slot = PciAddress.parse("00:03.0");
        try {
            Files.writeString(iface, SHIPPED_INTERFACE);
            Files.writeString(gateway, SHIPPED_GATEWAY);
            plugNic(slot, Map.of("backend", "switch:default", "mac", "52:54:00:12:34:56"));
            String name = awaitInterfaceUp(slot, 1);
            awaitAddress(name, CIDR);
            String ping = "";
            for (int i = 0; i < 50 && !ping.contains(", 1 received"); i++) {
                // File Install polls conf/ each second: the gateway may not be on the switch yet
                ping = shell("ping -c 1 -W 1 " + GATEWAY);
            }
            assertTrue(ping + state(), ping.contains("1 packets transmitted, 1 received, 0% packet loss"));
            assertTrue(shell("ip route"), shell("ip route").contains("default via 10.0.2.2 dev " + name));
        } finally {
            Files.deleteIfExists(iface);
            Files.deleteIfExists(gateway);
        }
    }
}
