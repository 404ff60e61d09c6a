package org.devrt.pci;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class ClassCodeTest {
    @Test
    public void equalWhenAllThreeBytesAreEqual() {
        ClassCode ahci = new ClassCode(0x01, 0x06, 0x01);
        assertEquals(ahci, ClassCode.of(0x010601));
        assertEquals(ahci.hashCode(), ClassCode.of(0x010601).hashCode());
        assertNotEquals("IDE-mode SATA differs in its prog-if", ahci, ClassCode.of(0x010600));
        assertNotEquals(ahci, ClassCode.of(0x020001));
        assertNotEquals(ahci, null);
        assertEquals(0x010601, ahci.value());
        assertEquals("0106", ahci.toString());
    }

    @Test
    public void refusesBytesOver255() {
        assertThrows(IllegalArgumentException.class, () -> new ClassCode(0x100, 0, 0));
    }
}
