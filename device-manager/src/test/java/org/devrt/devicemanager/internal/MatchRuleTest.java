package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

public class MatchRuleTest {
    private static final FakeFunction ICH9_AHCI = FakeFunction.of("00:1f.2", 0x8086, 0x2922, 0x010601).withSubsystem(0x1af4, 0x1100);

    private static MatchRule rule(Object... kv) {
        Map<String, Object> attrs = new HashMap<>();
        attrs.put("devrt.driver", "d");
        for (int i = 0; i < kv.length; i += 2) {
            attrs.put((String) kv[i], kv[i + 1]);
        }
        return MatchRule.fromAttributes(attrs);
    }

    @Test
    public void eachShapeHasItsFixedScore() {
        assertEquals(5, rule("vendor", 0x8086L, "device", 0x2922L, "subsystem-vendor", 0x1af4L, "subsystem", 0x1100L).score(ICH9_AHCI));
        assertEquals(4, rule("vendor", 0x8086L, "device", 0x2922L).score(ICH9_AHCI));
        assertEquals(3, rule("class", 1L, "subclass", 6L, "prog-if", 1L).score(ICH9_AHCI));
        assertEquals(2, rule("class", 1L, "subclass", 6L).score(ICH9_AHCI));
        assertEquals(1, rule("class", 1L).score(ICH9_AHCI));
    }

    @Test
    public void anyDifferingAttributeMeansNoMatchAndSaysWhich() {
        MatchRule e1000 = rule("vendor", 0x8086L, "device", 0x100eL);
        assertEquals(0, e1000.score(ICH9_AHCI));
        assertEquals("device 2922 != 100e", e1000.mismatch(ICH9_AHCI));
        assertEquals(0, rule("class", 1L, "subclass", 6L, "prog-if", 0L).score(ICH9_AHCI));
    }

    @Test
    public void hexStringsAreAcceptedForIds() {
        assertEquals(4, rule("vendor", "0x8086", "device", "0x2922").score(ICH9_AHCI));
    }

    @Test
    public void malformedShapesAreRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rule("vendor", 0x8086L)).getMessage()
                .contains("needs both vendor and device"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rule("class", 1L, "prog-if", 1L)).getMessage()
                .contains("prog-if needs a subclass"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> rule("vendor", 1L, "device", 2L, "class", 1L)).getMessage().contains("not both"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rule()).getMessage().contains("vendor+device or a class"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rule("vendor", 0x10000L, "device", 1L)).getMessage()
                .contains("outside 0..65535"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MatchRule.fromAttributes(Map.of("class", 1L)))
                .getMessage().contains("no driver id"));
    }

    @Test
    public void describesItselfAsPeopleReadIt() {
        assertEquals("8086:100e", rule("vendor", 0x8086L, "device", 0x100eL).describe());
        assertEquals("class 01.06.01", rule("class", 1L, "subclass", 6L, "prog-if", 1L).describe());
    }
}
