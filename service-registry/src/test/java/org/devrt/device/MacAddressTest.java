package org.devrt.device;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class MacAddressTest {
    @Test
    public void parsesColonsAndDashesAndPrintsLowerCaseWithColons() {
        assertEquals("52:54:00:12:34:5a", MacAddress.parse("52:54:00:12:34:5A").toString());
        assertEquals("52:54:00:12:34:5a", MacAddress.parse("52-54-00-12-34-5a").toString());
        assertEquals("0a:00:00:00:00:01", MacAddress.parse("a:0:0:0:0:1").toString());
    }

    @Test
    public void aSignIsNotAHexDigit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MacAddress.parse("52:+f:00:12:34:56"));
        assertEquals("not a MAC address, bad byte '+f': 52:+f:00:12:34:56", e.getMessage());
    }

    @Test
    public void refusesTheWrongNumberOfBytes() {
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[5]));
    }

    @Test
    public void broadcastIsMulticast() {
        assertTrue(MacAddress.BROADCAST.isMulticast());
        assertEquals(MacAddress.BROADCAST, MacAddress.parse("ff:ff:ff:ff:ff:ff"));
    }
}
