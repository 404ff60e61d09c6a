package org.devrt.network.internal.shell;

import static org.junit.Assert.assertEquals;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.junit.Test;

/** The lines of iproute2's {@code ip link} and {@code ip -s link}. */
public class LinkFormatTest {
    private static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    @Test
    public void aPortWithCarrierIsUpAndLowerUp() {
        assertEquals("2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP\n"
                + "    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n", LinkFormat.link(2, "eth0", true, true, 1500, MAC));
    }

    @Test
    public void aPortWithoutCarrierIsNoCarrierAndStateDown() {
        assertEquals("3: eth1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 state DOWN\n"
                + "    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n", LinkFormat.link(3, "eth1", true, false, 1500, MAC));
    }

    @Test
    public void anAdministrativelyDownPortHasNoUpFlag() {
        assertEquals("2: eth0: <BROADCAST,MULTICAST> mtu 1500 state DOWN\n"
                + "    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n", LinkFormat.link(2, "eth0", false, true, 1500, MAC));
    }

    @Test
    public void theLoopbackIsLinkLoopbackInStateUnknown() {
        assertEquals("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN\n"
                + "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n", LinkFormat.loopback(1, "lo", true, 65536));
    }

    @Test
    public void countersAreRightAlignedUnderTheirHeadings() {
        NetworkCounters c = new NetworkCounters(10, 1234, 2, 0, 5, 123456789, 0, 1);
        assertEquals(""
                + "    RX:     bytes packets errors dropped\n"
                + "             1234      10      0       2\n"
                + "    TX:     bytes packets errors dropped\n"
                + "        123456789       5      1       0\n", LinkFormat.stats(c));
    }

    @Test
    public void zeroCountersKeepTheHeadingWidths() {
        assertEquals(""
                + "    RX:  bytes packets errors dropped\n"
                + "             0       0      0       0\n"
                + "    TX:  bytes packets errors dropped\n"
                + "             0       0      0       0\n", LinkFormat.stats(NetworkCounters.ZERO));
    }
}
