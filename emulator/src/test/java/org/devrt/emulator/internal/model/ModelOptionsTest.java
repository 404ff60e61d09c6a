package org.devrt.emulator.internal.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.Test;

public class ModelOptionsTest {
    private final ModelOptions options = ModelOptions.of("nic", Map.of("a", "0x10", "b", "4k", "c", "12", "d", "yes"),
            Set.of("a", "b", "c", "d", "e"));

    @Test
    public void numbersAreDecimalHexOrSizes() {
        assertEquals(16, options.number("a", 0, 0, 100));
        assertEquals(4096, options.number("b", 0, 0, 1 << 20));
        assertEquals(12, options.number("c", 0, 0, 100));
        assertEquals("absent: the fallback", 99, options.number("e", 99, 0, 100));
        assertEquals(3L << 30, ModelOptions.parseNumber("3G"));
        assertEquals(2L << 20, ModelOptions.parseNumber("2m"));
    }

    @Test
    public void flagsAreTrueOrFalse() {
        assertTrue(options.flag("d", false));
        assertFalse(options.flag("e", false));
    }

    @Test
    public void anUnknownNameIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelOptions.of("nic", Map.of("z", "1"), Set.of("b", "a")));
        assertEquals("unknown option 'z' for model nic (options: a, b)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelOptions.of("nic", Map.of("z", "1"), Set.of()));
        assertEquals("unknown option 'z' for model nic (it takes none)", e.getMessage());
    }

    @Test
    public void aValueOutOfRangeNamesTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options.number("a", 0, 0, 15));
        assertEquals("given in hex, said in hex", "option a=0x10 of model nic: must be from 0x0 to 0xf", e.getMessage());
    }

    @Test
    public void overflowIsNotANumber() {
        assertThrows(NumberFormatException.class, () -> ModelOptions.parseNumber("9000000000G"));
        assertThrows(NumberFormatException.class, () -> ModelOptions.parseNumber("-1"));
        assertThrows(NumberFormatException.class, () -> ModelOptions.parseNumber("k"));
    }

    /** size0=100T said "not a number" (no T), and so did a size too large for any disk. */
    @Test
    public void terabytesAreASizeAndTooLargeIsSaidSo() {
        assertEquals(100L << 40, ModelOptions.parseNumber("100T"));
        ModelOptions sizes = ModelOptions.of("ahci", Map.of("size0", "100T", "size1", "99999999999999999999",
                "size2", "9000000000g", "size3", "0"), Set.of("size0", "size1", "size2", "size3"));
        assertEquals(100L << 40, sizes.number("size0", 0, 512, 1L << 57));
        assertEquals("option size1=99999999999999999999 of model ahci: too large (at most 131072t)",
                assertThrows(IllegalArgumentException.class, () -> sizes.number("size1", 0, 512, 1L << 57))
                        .getMessage());
        assertEquals("option size2=9000000000g of model ahci: too large (at most 131072t)",
                assertThrows(IllegalArgumentException.class, () -> sizes.number("size2", 0, 512, 1L << 57))
                        .getMessage());
        ModelOptions delays = ModelOptions.of("ahci", Map.of("delay", "70000"), Set.of("delay"));
        assertEquals("a delay in decimal, as given", "option delay=70000 of model ahci: must be from 0 to 60000",
                assertThrows(IllegalArgumentException.class, () -> delays.number("delay", 0, 0, 60_000)).getMessage());
        assertEquals("option size3=0 of model ahci: must be from 512 to 131072t",
                assertThrows(IllegalArgumentException.class, () -> sizes.number("size3", 0, 512, 1L << 57))
                        .getMessage());
    }

    @Test
    public void textIsSortedKeyValuePairs() {
        assertEquals("a=0x10 b=4k c=12 d=yes", options.toString());
    }
}
