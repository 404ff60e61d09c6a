package org.devrt.network.internal.wire;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

public class Ipv4AddressTest {
    @Test
    public void parsesAndPrintsDottedQuads() {
        assertEquals(0x0a00020f, Ipv4Address.parse("10.0.2.15").value());
        assertEquals("255.255.255.255", Ipv4Address.BROADCAST.toString());
        assertEquals("192.168.0.199", Ipv4Address.format(0xc0a800c7));
    }

    @Test
    public void refusesWhatIsNotFourOctets() {
        for (String bad : new String[] {"10.0.2", "10.0.2.256", "10.0.2.x", "10..2.15", "1.2.3.4.5", "-1.0.0.0", ""}) {
            try {
                Ipv4Address.parse(bad);
                fail(bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("not an IPv4 address"));
            }
        }
    }

    @Test
    public void classifiesSources() {
        assertTrue(Ipv4Address.isUnicastSource(Ipv4Address.parse("10.0.2.2").value()));
        assertFalse(Ipv4Address.isUnicastSource(0));
        assertFalse(Ipv4Address.isUnicastSource(-1));
        assertFalse(Ipv4Address.isUnicastSource(Ipv4Address.parse("224.0.0.1").value()));
        assertTrue(Ipv4Address.isMulticast(Ipv4Address.parse("239.1.1.1").value()));
        assertTrue(Ipv4Address.isLoopback(Ipv4Address.parse("127.0.0.1").value()));
    }

    @Test
    public void convertsToAndFromJavaNet() {
        Ipv4Address a = Ipv4Address.parse("10.0.2.15");
        assertEquals(a, Ipv4Address.of(a.toInetAddress()));
    }

    @Test
    public void aCidrKnowsItsNetworkMaskAndBroadcast() {
        Ipv4Cidr c = Ipv4Cidr.parse("10.0.2.15/24");
        assertEquals(0xffffff00, c.netmask());
        assertEquals("10.0.2.0", Ipv4Address.format(c.network()));
        assertEquals("10.0.2.255", Ipv4Address.format(c.broadcast()));
        assertTrue(c.contains(Ipv4Address.parse("10.0.2.2").value()));
        assertFalse(c.contains(Ipv4Address.parse("10.0.3.2").value()));
        assertEquals("10.0.2.15/24", c.toString());
        assertEquals(32, Ipv4Cidr.parse("10.0.2.15").prefixLength());
        assertEquals(0, Ipv4Cidr.netmask(0));
        assertTrue(Ipv4Cidr.parse("0.0.0.0/0").contains(-1));
    }

    @Test(expected = IllegalArgumentException.class)
    public void aPrefixAbove32IsRefused() {
        Ipv4Cidr.parse("10.0.2.15/33");
    }
}
