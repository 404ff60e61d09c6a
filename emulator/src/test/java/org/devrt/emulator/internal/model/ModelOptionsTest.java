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
        assertEquals("option a=0x10 of model nic: must be in 0x0..0xf", e.getMessage());
    }

    @Test
    public void overflowIsNotANumber() {
        assertThrows(NumberFormatException.class, () -> ModelOptions.parseNumber("9000000000G"));
        assertThrows(NumberFormatException.class, () -> ModelOptions.parseNumber("-1"));
        assertThrows(NumberFormatException.class, () -> ModelOptions.parseNumber("k"));
    }

    @Test
    public void textIsSortedKeyValuePairs() {
        assertEquals("a=0x10 b=4k c=12 d=yes", options.toString());
    }
}
