package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertEquals;

import java.time.Instant;

import org.junit.Test;

public class BootReadinessTest {
    private static final Instant PROCESS_START = Instant.parse("2026-11-27T12:00:00Z");
    private static final Instant NOW = PROCESS_START.plusSeconds(25);

    @Test
    public void theBannerCountsFromWhenDevrtLaunchedJavaAfterABuildInTheSameProcess() {
        String launched = String.valueOf(PROCESS_START.plusSeconds(23).toEpochMilli()); // ./devrt built for 23 s
        assertEquals(2000, BootReadiness.uptimeMillis(NOW, PROCESS_START, launched));
    }

    @Test
    public void withoutALaunchTimeTheBannerCountsFromTheProcessStart() {
        assertEquals(25000, BootReadiness.uptimeMillis(NOW, PROCESS_START, null));
    }

    @Test
    public void aLaunchTimeThatIsNotATimeBetweenStartAndNowIsIgnored() {
        assertEquals(25000, BootReadiness.uptimeMillis(NOW, PROCESS_START, "1732700000%3N"));
        assertEquals(25000, BootReadiness.uptimeMillis(NOW, PROCESS_START,
                String.valueOf(NOW.plusSeconds(5).toEpochMilli())));
        assertEquals(25000, BootReadiness.uptimeMillis(NOW, PROCESS_START,
                String.valueOf(PROCESS_START.minusSeconds(5).toEpochMilli())));
    }
}
