package org.devrt.network.internal.cmd;

import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.US;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.testing.StackFixture;
import org.devrt.network.internal.wire.Ipv4Address;
import org.junit.Test;

/** The listing commands print what Linux's tools print for the same state. */
public class ShowCommandsTest {
    private final StackFixture f = new StackFixture();

    @Test
    public void ipAddrShowsLoopbackAndEthernetAsIproute2Does() {
        assertEquals("""
                1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN
                    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
                    inet 127.0.0.1/8 scope host lo
                       valid_lft forever preferred_lft forever
                2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP
                    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff
                    inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0
                       valid_lft forever preferred_lft forever""", addr());
    }

    @Test
    public void ipAddrShowDevAndItsErrors() {
        assertTrue(addr("show", "dev", "eth0").startsWith("2: eth0:"));
        assertTrue(addr("show", "eth0").startsWith("2: eth0:"));
        assertEquals("Device \"eth9\" does not exist.", addr("show", "eth9"));
        assertTrue(addr("add", "1.2.3.4/24", "dev", "eth0").startsWith("ip addr add: not supported; only show\nusage:"));
        f.stack.setUp("eth0", false);
        assertTrue(addr("show", "eth0").startsWith("2: eth0: <BROADCAST,MULTICAST> mtu 1500 state DOWN"));
        f.stack.setUp("eth0", true);
        f.tap.setLinkUp(false);
        assertTrue(addr("show", "eth0").startsWith("2: eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 state DOWN"));
    }

    @Test
    public void ipRouteShowsTheDefaultThenTheConnectedRoutes() {
        assertEquals("""
                default via 10.0.2.2 dev eth0 proto static
                10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15""", route());
        assertEquals("192.0.2.1 via 10.0.2.2 dev eth0 src 10.0.2.15", route("get", "192.0.2.1"));
        assertEquals("10.0.2.3 dev eth0 src 10.0.2.15", route("get", "10.0.2.3"));
        assertEquals("local 10.0.2.15 dev lo src 10.0.2.15", route("get", "10.0.2.15"));
        f.stack.configure("eth0", null, null);
        assertEquals("", route());
        assertEquals("RTNETLINK answers: Network is unreachable", route("get", "192.0.2.1"));
        assertTrue(route("get", "nonsense").startsWith("Error: not an IPv4 address"));
    }

    @Test
    public void ipNeighAndArpShowTheCache() throws Exception {
        f.resolvePeer();
        f.stack.bindUdp(0, 0).send(ByteBuffer.allocate(1), new InetSocketAddress(Ipv4Address.parse("10.0.2.9").toInetAddress(), 9));
        assertEquals("10.0.2.2 dev eth0 lladdr 52:55:0a:00:02:02 REACHABLE\n10.0.2.9 dev eth0  INCOMPLETE",
                new IpNeighCommand(f.stack).run(List.of()));
        assertEquals("""
                Address                  HWtype  HWaddress           Flags Mask            Iface
                10.0.2.2                 ether   52:55:0a:00:02:02   C                     eth0
                10.0.2.9                         (incomplete)                              eth0""",
                new ArpCommand(f.stack).run(List.of("-n")));
        assertEquals(ArpCommand.HEADER, new ArpCommand(f.stack).run(List.of("-i", "lo")));
        assertEquals("arp: eth1: no such interface", new ArpCommand(f.stack).run(List.of("-i", "eth1")));
        assertEquals("an unknown device was an empty list", "Cannot find device \"eth9\"",
                new IpNeighCommand(f.stack).run(List.of("show", "dev", "eth9")));
        assertTrue(new ArpCommand(f.stack).run(List.of("-x")).startsWith("arp: invalid option -- 'x'\nusage: arp"));
    }

    @Test
    public void ifconfigPrintsNetToolsBlocks() {
        f.receive(Frames.udp(PEER, 1, US, 9, new byte[1]));
        String eth0 = new IfconfigCommand(f.stack).run(List.of("eth0"));
        assertEquals("""
                eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
                        inet 10.0.2.15  netmask 255.255.255.0  broadcast 10.0.2.255
                        ether 52:54:00:12:34:56  (Ethernet)
                        RX packets 0  bytes 0 (0.0 B)
                        RX errors 0  dropped 0  overruns 0  frame 0
                        TX packets 0  bytes 0 (0.0 B)
                        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0""", eth0);
        String lo = new IfconfigCommand(f.stack).run(List.of("lo"));
        assertTrue(lo, lo.startsWith("lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n        inet 127.0.0.1  netmask 255.0.0.0\n        loop  (Local Loopback)"));
        f.stack.setUp("eth0", false);
        assertTrue(!new IfconfigCommand(f.stack).run(List.of()).contains("eth0"));
        assertTrue(new IfconfigCommand(f.stack).run(List.of("-a")).contains("eth0: flags=4098<BROADCAST,MULTICAST>"));
        assertEquals("eth7: error fetching interface information: Device not found",
                new IfconfigCommand(f.stack).run(List.of("eth7")));
    }

    @Test
    public void bytesAreScaledAsNetToolsDoes() {
        assertEquals("0.0 B", IfconfigCommand.scaled(0));
        assertEquals("999.0 B", IfconfigCommand.scaled(999));
        assertEquals("1.2 KB", IfconfigCommand.scaled(1234));
        assertEquals("9.2 MB", IfconfigCommand.scaled(9284318));
    }

    @Test
    public void netstatListsUdpSocketsAndCounters() throws Exception {
        f.stack.bindUdp(0, 5000);
        f.stack.bindUdp(US.value(), 53);
        f.receive(Frames.udp(PEER, 1, US, 5000, "hello".getBytes()), new byte[3]);
        assertEquals("""
                Active Internet connections (servers and established)
                Proto Recv-Q Send-Q Local Address           Foreign Address         State
                udp        0      0 10.0.2.15:53            0.0.0.0:*
                udp        5      0 0.0.0.0:5000            0.0.0.0:*""", new NetstatCommand(f.stack).run(List.of("-anu")));
        assertEquals("Active Internet connections (w/o servers)\n" + NetstatCommand.HEADER,
                new NetstatCommand(f.stack).run(List.of("-nu")));
        String stats = new NetstatCommand(f.stack).run(List.of("-s"));
        assertTrue(stats, stats.contains("Link:\n    1 frames shorter than an Ethernet header"));
        assertTrue(stats, stats.contains("Udp:\n    1 UDP datagrams delivered"));
    }

    private String addr(String... args) {
        return new IpAddrCommand(f.stack).run(List.of(args));
    }

    private String route(String... args) {
        return new IpRouteCommand(f.stack).run(List.of(args));
    }
}
