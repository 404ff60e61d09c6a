package org.devrt.network.internal.iface;

import java.util.EnumMap;
import java.util.Map;

/** The stack's counters, one per {@link Counter}. Written by the stack's thread under the stack's lock. */
public final class Counters {
    private final long[] values = new long[Counter.all().length];

    public void add(Counter c) {
        values[c.ordinal()]++;
    }

    public long get(Counter c) {
        return values[c.ordinal()];
    }

    /** Sum of the counters of one kind: RX_DROP plus RX_DONE is every frame taken from the links. */
    public long sum(Counter.Kind kind) {
        long sum = 0;
        for (Counter c : Counter.all()) {
            if (c.kind() == kind) {
                sum += values[c.ordinal()];
            }
        }
        return sum;
    }

    /** The counters that are not zero, in declaration order. */
    public Map<Counter, Long> nonZero() {
        Map<Counter, Long> m = new EnumMap<>(Counter.class);
        for (Counter c : Counter.all()) {
            if (values[c.ordinal()] != 0) {
                m.put(c, values[c.ordinal()]);
            }
        }
        return m;
    }
}
