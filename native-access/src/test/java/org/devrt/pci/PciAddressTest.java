package org.devrt.pci;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.Test;

public class PciAddressTest {
    @Test
    public void printsAsLinuxDoes() {
        assertEquals("0000:00:1f.2", new PciAddress(0, 0, 0x1f, 2).toString());
        assertEquals("00:1f.2", new PciAddress(0, 0, 0x1f, 2).toShortString());
    }

    @Test
    public void parsesWithAndWithoutDomain() {
        assertEquals(new PciAddress(0, 0, 0x1f, 2), PciAddress.parse("0000:00:1f.2"));
        assertEquals(new PciAddress(0, 3, 0, 0), PciAddress.parse("03:00.0"));
        assertEquals(new PciAddress(0x10, 0xff, 31, 7), PciAddress.parse("0010:ff:1f.7"));
        assertEquals("an Intel VMD domain, as Linux names it", "10000:e0:06.0", PciAddress.parse("10000:e0:06.0").toString());
    }

    @Test
    public void refusesMalformedAndOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PciAddress.parse("00:1f"));
        assertTrue(e.getMessage(), e.getMessage().contains("00:1f"));
        assertEquals("numbers as they were typed, in hex: a slot of 99 is 0x99, not 153",
                "00:99.0: PCI device 0x99 is outside 0x0..0x1f",
                assertThrows(IllegalArgumentException.class, () -> PciAddress.parse("00:99.0")).getMessage());
        assertEquals("PCI bus 0x100 is outside 0x0..0xff",
                assertThrows(IllegalArgumentException.class, () -> new PciAddress(0, 256, 0, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PciAddress.parse("00:20.0")); // device 32
        assertThrows(IllegalArgumentException.class, () -> PciAddress.parse("00:1f.8"));
    }

    @Test
    public void ordersByDomainBusDeviceFunction() {
        List<PciAddress> list = new ArrayList<>(List.of(PciAddress.parse("01:00.0"), PciAddress.parse("00:1f.2"),
                PciAddress.parse("00:02.0"), PciAddress.parse("00:1f.0")));
        Collections.sort(list);
        assertEquals("[0000:00:02.0, 0000:00:1f.0, 0000:00:1f.2, 0000:01:00.0]", list.toString());
    }
}
