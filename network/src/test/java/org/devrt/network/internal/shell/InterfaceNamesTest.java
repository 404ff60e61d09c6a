package org.devrt.network.internal.shell;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Names stay with device ids; a new device takes the lowest free number. */
public class InterfaceNamesTest {
    @Test
    public void devicesAreNamedInArrivalOrderAndKeepTheirNames() {
        InterfaceNames names = new InterfaceNames();
        assertEquals("eth0", names.name("emulated/0000:00:04.0"));
        assertEquals("eth1", names.name("emulated/0000:00:03.0"));
        assertEquals("eth0", names.name("emulated/0000:00:04.0"));
        assertEquals(2, names.index("emulated/0000:00:04.0"));
        assertEquals(3, names.index("emulated/0000:00:03.0"));
    }

    @Test
    public void aNameIsNeverGivenToASecondDevice() {
        InterfaceNames names = new InterfaceNames();
        names.name("a");
        names.name("b");
        names.name("c");
        assertEquals("eth3", names.name("d"));
        assertEquals("eth1", names.name("b"));
    }
}
