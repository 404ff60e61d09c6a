package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

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

    @Test
    public void readyWaitsThirtySecondsOrWhatMinusWSaysWholeOrNot() {
        assertEquals(30_000_000_000L, BootReadiness.waitNanos());
        assertEquals(2_500_000_000L, BootReadiness.waitNanos("-w", "2.5")); // refused as bad arguments before
        assertEquals(0L, BootReadiness.waitNanos("-w", "0"));
    }

    @Test
    public void readyNamesWhatIsWrongWithItsArguments() {
        assertEquals("bad arguments '-x'", assertThrows(IllegalArgumentException.class,
                () -> BootReadiness.waitNanos("-x")).getMessage());
        for (String bad : new String[] {"abc", "-1", "NaN", "1e9"}) {
            assertEquals("-w wants seconds from 0 to 86400, such as 30 or 2.5, not '" + bad + "'",
                    assertThrows(IllegalArgumentException.class,
                            () -> BootReadiness.waitNanos("-w", bad)).getMessage());
        }
    }
}
