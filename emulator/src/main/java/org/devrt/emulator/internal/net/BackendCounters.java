package org.devrt.emulator.internal.net;

import java.util.concurrent.atomic.AtomicLong;

/** A backend's frame counters. Thread-safe. */
public final class BackendCounters {
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    void sent() {
        sent.incrementAndGet();
    }

    void received() {
        received.incrementAndGet();
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    public long sentFrames() {
        return sent.get();
    }

    public long receivedFrames() {
        return received.get();
    }

    /** Frames not carried: link down, a send error, or a malformed frame. */
    public long droppedFrames() {
        return dropped.get();
    }

    @Override
    public String toString() {
        return "sent " + sent + ", received " + received + ", dropped " + dropped;
    }
}
