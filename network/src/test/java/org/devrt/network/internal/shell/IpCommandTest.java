package org.devrt.network.internal.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.devrt.device.DeviceService;
import org.devrt.device.NetworkCounters;
import org.devrt.network.internal.stack.Stack;
import org.devrt.network.internal.stack.StackConfig;
import org.devrt.network.internal.iface.DeviceLink;
import org.devrt.network.internal.stack.StackConfig;
import org.devrt.network.internal.stack.StackThread;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Constants;

/** {@code ip} over tracked NetworkDevice services. */
public class IpCommandTest {
    private final IpCommand ip = new IpCommand();
    private final FakeDevice first = new FakeDevice("52:54:00:12:34:56");
    private final FakeDevice second = new FakeDevice("52:54:00:12:34:57");

    private static Map<String, Object> props(long serviceId, String deviceId) {
        return Map.of(Constants.SERVICE_ID, serviceId, DeviceService.DEVICE_ID, deviceId);
    }

    @Before
    public void twoPorts() {
        ip.addDevice(first, props(10, "emulated/0000:00:03.0"));
        ip.addDevice(second, props(11, "emulated/0000:00:04.0"));
        second.link = false;
    }

    @Test
    public void ipLinkListsEveryPortInIndexOrder() {
        String expected = ""
                + "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP\n"
                + "    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n"
                + "3: eth1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 state DOWN\n"
                + "    link/ether 52:54:00:12:34:57 brd ff:ff:ff:ff:ff:ff";
        assertEquals(expected, ip.ip("link"));
        assertEquals(expected, ip.ip("link", "show"));
        assertEquals(expected, ip.ip("l"));
    }

    /** 'ip $x link' with x unset: Gogo gives a null word, and ip failed with a NullPointerException. */
    @Test
    public void anUnsetVariableIsLeftOutAsAPosixShellDropsIt() {
        assertEquals(ip.ip("link"), ip.ip(null, "link"));
    }

    @Test
    public void ipLinkShowNameListsOnePortWithOrWithoutDev() {
        String expected = "3: eth1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 state DOWN\n"
                + "    link/ether 52:54:00:12:34:57 brd ff:ff:ff:ff:ff:ff";
        assertEquals(expected, ip.ip("link", "show", "eth1"));
        assertEquals(expected, ip.ip("link", "show", "dev", "eth1"));
        assertEquals("Device \"eth7\" does not exist.", ip.ip("link", "show", "eth7"));
    }

    @Test
    public void ipDashSLinkAddsTheCounters() {
        first.counters = new NetworkCounters(10, 1234, 2, 0, 5, 600, 1, 0);
        String out = ip.ip("-s", "link", "show", "eth0");
        assertEquals("2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP\n"
                + "    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n"
                + "    RX:  bytes packets errors dropped\n"
                + "          1234      10      0       2\n"
                + "    TX:  bytes packets errors dropped\n"
                + "           600       5      0       1", out);
    }

    @Test
    public void aDeviceThatLeavesIsNoLongerListedAndKeepsItsNameWhenItReturns() {
        ip.removeDevice(first, props(10, "emulated/0000:00:03.0"));
        assertFalse(ip.ip("link").contains("eth0"));
        ip.addDevice(new FakeDevice("52:54:00:12:34:56"), props(12, "emulated/0000:00:03.0"));
        assertTrue(ip.ip("link").startsWith("2: eth0:"));
    }

    /** Two NICs with one MAC: ip link showed eth0 twice, matching the stack's interfaces to devices by MAC. */
    @Test
    public void twoNicsWithOneMacAreTwoInterfacesUnderTheStack() {
        StackThread thread = new StackThread(StackConfig.DEFAULTS);
        thread.start();
        try {
            FakeDevice twin = new FakeDevice("52:54:00:12:34:56");
            thread.stack().addInterface("eth0", 2, new DeviceLink(first, 16, () -> { }));
            thread.stack().addInterface("eth1", 3, new DeviceLink(twin, 16, () -> { }));
            IpCommand withStack = new IpCommand();
            withStack.stack = thread::stack;
            withStack.addDevice(first, props(10, "emulated/0000:00:03.0"));
            withStack.addDevice(twin, props(12, "emulated/0000:00:07.0"));

            String link = withStack.ip("link");
            assertTrue(link, link.startsWith("1: lo:"));
            assertTrue(link, link.contains("\n2: eth0: ") && link.contains("\n3: eth1: "));
            assertEquals(link, 3, link.lines().filter(l -> l.matches("\\d+: .*")).count());
        } finally {
            thread.close();
        }
    }

    @Test
    public void helpAndNoArgumentsGiveTheUsage() {
        assertEquals(IpCommand.USAGE, ip.ip("--help"));
        assertEquals(IpCommand.USAGE, ip.ip());
        assertEquals(IpCommand.USAGE, ip.ip("help"));
        assertEquals(IpCommand.USAGE, ip.ip("link", "help"));
    }

    @Test
    public void withoutTheStackItsObjectsAnswerInOneLine() {
        assertEquals("ip address: comes with the network stack, which is not running", ip.ip("addr"));
        assertEquals("ip route: comes with the network stack, which is not running", ip.ip("r"));
        assertEquals("ip neighbour: comes with the network stack, which is not running", ip.ip("neigh"));
        assertEquals("ip tunnel: not supported by devrt", ip.ip("tunnel"));
    }

    @Test
    public void withTheStackAddrRouteAndNeighAreTheStacksAndLoComesFirst() {
        Stack stack = new Stack(StackConfig.DEFAULTS, System::nanoTime, () -> { });
        ip.stack = () -> stack;
        assertTrue(ip.ip("addr"), ip.ip("addr").contains("inet 127.0.0.1/8"));
        assertTrue(ip.ip("a", "show", "lo"), ip.ip("a", "show", "lo").startsWith("1: lo:"));
        assertTrue(ip.ip("route", "help"), ip.ip("route", "help").startsWith("usage: ip route"));
        assertEquals(""
                + "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN\n"
                + "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
                + "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP\n"
                + "    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n"
                + "3: eth1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 state DOWN\n"
                + "    link/ether 52:54:00:12:34:57 brd ff:ff:ff:ff:ff:ff", ip.ip("link"));
    }

    @Test
    public void wrongArgumentsGiveOneLineThenTheUsage() {
        assertEquals("ip: unknown option \"-x\"\n" + IpCommand.USAGE, ip.ip("-x", "link"));
        assertEquals("Object \"frob\" is unknown, try \"ip help\".\n" + IpCommand.USAGE, ip.ip("frob"));
        assertEquals("ip link set: not supported; only show for now\n" + IpCommand.USAGE,
                ip.ip("link", "set", "eth0", "down"));
        assertTrue(ip.ip("link", "show", "eth0", "eth1").startsWith("ip link show: one device name at most"));
    }
}
