package org.devrt.network.internal.iface;

import java.nio.ByteBuffer;

/**
 * Received frames on their way from the thread that delivers them to the stack's thread: a {@link PacketRing} under
 * a lock, with the lending rule of {@link Link#receive()} (a frame stays in the ring, untouched, until the next
 * {@link #next()}). A full queue drops the frame and counts it. Wakes the stack on every frame.
 */
public final class FrameQueue {
    private final PacketRing ring;
    private final Runnable wake;
    private boolean lent;
    private long overflows;

    public FrameQueue(int maxFrames, int capacityBytes, Runnable wake) {
        this.ring = new PacketRing(maxFrames, capacityBytes);
        this.wake = wake;
    }

    /** Copies the frame between position and limit in; false (counted) when the queue is full. */
    public boolean push(ByteBuffer frame) {
        boolean queued;
        synchronized (ring) {
            queued = ring.offer(frame, frame.position(), frame.remaining(), 0);
            if (!queued) {
                overflows++;
            }
        }
        wake.run();
        return queued;
    }

    /** Releases the frame lent last and lends the next one; null when empty. */
    public ByteBuffer next() {
        synchronized (ring) {
            if (lent) {
                ring.remove();
            }
            ByteBuffer frame = ring.peek();
            lent = frame != null;
            return frame;
        }
    }

    /** Frames dropped because the queue was full. */
    public long overflows() {
        synchronized (ring) {
            return overflows;
        }
    }
}
