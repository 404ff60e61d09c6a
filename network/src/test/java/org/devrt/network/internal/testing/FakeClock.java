package org.devrt.network.internal.testing;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A clock that moves only when told: what makes ARP and reassembly time-outs deterministic. */
public final class FakeClock implements LongSupplier {
    private long now = 1_000_000_000L;

    @Override
    public synchronized long getAsLong() {
        return now;
    }

    public synchronized long advance(Duration d) {
        now += d.toNanos();
        return now;
    }

    public long advanceMillis(long millis) {
        return advance(Duration.ofMillis(millis));
    }
}
