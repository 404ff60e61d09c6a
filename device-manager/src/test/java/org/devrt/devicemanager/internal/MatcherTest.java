package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.devrt.devicemanager.internal.Matcher.Candidate;
import org.junit.Test;
import org.osgi.framework.Version;

public class MatcherTest {
    private static final FakeFunction NIC = FakeFunction.of("00:03.0", 0x8086, 0x100e, 0x020000);

    private static DriverOffer offer(String bsn, String version, String driverId, Object... kv) {
        Map<String, Object> attrs = new java.util.HashMap<>();
        attrs.put("devrt.driver", driverId);
        for (int i = 0; i < kv.length; i += 2) {
            attrs.put((String) kv[i], kv[i + 1]);
        }
        return new DriverOffer(bsn, Version.parseVersion(version), List.of(MatchRule.fromAttributes(attrs)), 1, null);
    }

    @Test
    public void higherScoreWins() {
        List<Candidate> ranked = Matcher.rank(NIC, List.of(offer("generic.net", "1", "anynet", "class", 2L, "subclass", 0L),
                offer("devrt.e1000", "1", "e1000", "vendor", 0x8086L, "device", 0x100eL)), o -> "");
        assertEquals("e1000", Matcher.best(ranked, c -> true).get().rule().driverId());
        assertEquals("chosen", ranked.get(0).verdict());
        assertTrue(ranked.get(1).verdict(), ranked.get(1).verdict().startsWith("lower score than e1000"));
    }

    @Test
    public void equalScoresResolveTheSameWayWhateverTheOrderOffered() {
        List<DriverOffer> offers = new ArrayList<>(List.of(
                offer("b.bundle", "1.0", "nic", "vendor", 0x8086L, "device", 0x100eL),
                offer("a.bundle", "1.0", "nic", "vendor", 0x8086L, "device", 0x100eL),
                offer("a.bundle", "2.0", "nic", "vendor", 0x8086L, "device", 0x100eL),
                offer("z.bundle", "9.0", "alpha", "vendor", 0x8086L, "device", 0x100eL)));
        Random random = new Random(42);
        for (int run = 0; run < 20; run++) {
            Collections.shuffle(offers, random);
            List<Candidate> ranked = Matcher.rank(NIC, offers, o -> "");
            assertEquals("driver id first, then bundle name, then newest version",
                    List.of("alpha z.bundle 9.0.0", "nic a.bundle 2.0.0", "nic a.bundle 1.0.0", "nic b.bundle 1.0.0"),
                    ranked.stream().map(c -> c.rule().driverId() + " " + c.offer().bsn() + " " + c.offer().version()).toList());
        }
    }

    @Test
    public void refusedOffersAreSkippedButShownWithTheReason() {
        List<Candidate> ranked = Matcher.rank(NIC, List.of(offer("devrt.e1000", "1", "e1000", "vendor", 0x8086L, "device", 0x100eL),
                offer("generic.net", "1", "anynet", "class", 2L)), o -> o.bsn().equals("devrt.e1000") ? "uninstalled by the user" : "");
        assertEquals("anynet", Matcher.best(ranked, c -> true).get().rule().driverId());
        assertEquals("not used: uninstalled by the user", ranked.get(0).verdict());
    }

    @Test
    public void nonMatchingOffersScoreZeroWithTheMismatch() {
        List<Candidate> ranked = Matcher.rank(NIC, List.of(offer("ahci", "1", "ahci", "class", 1L, "subclass", 6L)), o -> "");
        assertEquals(0, ranked.get(0).score());
        assertEquals("does not match: class 02 != 01, subclass 00 != 06", ranked.get(0).verdict());
        assertTrue(Matcher.best(ranked, c -> true).isEmpty());
    }
}
