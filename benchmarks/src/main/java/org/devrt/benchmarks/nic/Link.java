package org.devrt.benchmarks.nic;

import java.nio.ByteBuffer;

/** One-way path of frames from a sender to a receiver that counts them. */
interface Link extends AutoCloseable {
    /** Sends {@code frame} (its remaining bytes); false if it was refused for now (e.g. the transmit ring is full). */
    boolean send(ByteBuffer frame);

    /** What the receiver counts frames with. */
    ReceiveCounter counter();

    /** Frames the receiver has taken so far. */
    default long received() {
        return counter().get();
    }

    /** The thread frames arrive on, or null before the first. */
    default Thread receiverThread() {
        return counter().thread();
    }

    /** The sender's and receiver's own counters, for the log. */
    default String counters() {
        return "";
    }

    @Override
    void close();
}
