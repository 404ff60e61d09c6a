package org.devrt.network.internal.wire;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import org.junit.Test;

public class Ipv4CidrTest {
    @Test
    public void equalWhenAddressAndPrefixAreEqual() {
        Ipv4Cidr a = Ipv4Cidr.parse("10.0.2.15/24");
        assertEquals(a, new Ipv4Cidr(Ipv4Address.parse("10.0.2.15"), 24));
        assertEquals(a.hashCode(), new Ipv4Cidr(Ipv4Address.parse("10.0.2.15"), 24).hashCode());
        assertNotEquals("another prefix", a, Ipv4Cidr.parse("10.0.2.15/16"));
        assertNotEquals("another address", a, Ipv4Cidr.parse("10.0.2.16/24"));
        assertNotEquals(a, null);
        assertNotEquals(a, "10.0.2.15/24");
    }

    @Test
    public void withoutAPrefixIsAHostRoute() {
        assertEquals(Ipv4Cidr.parse("10.0.2.15/32"), Ipv4Cidr.parse("10.0.2.15"));
        assertEquals("10.0.2.15/32", Ipv4Cidr.parse(" 10.0.2.15 ").toString());
    }
}
