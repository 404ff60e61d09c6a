package org.devrt.network.internal.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.devrt.device.MacAddress;

/**
 * A scripted peer: the test injects frames for the stack to receive and reads what the stack sent. With
 * {@code capture} off it only counts what is sent (for allocation measurements).
 */
public final class TapLink extends QueueLink {
    private final List<byte[]> sent = new ArrayList<>();
    private boolean capture = true;
    private boolean linkUp = true;
    private long sentCount;

    public TapLink(MacAddress mac) {
        super(mac);
    }

    /** Queues a frame (position to limit) for the stack; copied, the buffer is left as it was. */
    public void inject(ByteBuffer frame) {
        if (!incoming.push(frame)) {
            throw new IllegalStateException("the tap's queue is full");
        }
    }

    public void inject(byte[] frame) {
        inject(ByteBuffer.wrap(frame));
    }

    /** The frames sent since the last call, oldest first (a test's peer thread may take them as the stack sends). */
    public synchronized List<byte[]> takeSent() {
        List<byte[]> copy = new ArrayList<>(sent);
        sent.clear();
        return copy;
    }

    public long sentCount() {
        return sentCount;
    }

    public void capture(boolean on) {
        capture = on;
    }

    public void setLinkUp(boolean up) {
        linkUp = up;
    }

    @Override
    public boolean isLinkUp() {
        return linkUp;
    }

    @Override
    public synchronized boolean transmit(ByteBuffer frame) {
        if (frame.remaining() > 14 + mtu()) {
            throw new IllegalArgumentException("frame of " + frame.remaining() + " bytes is over the MTU");
        }
        sentCount++;
        if (capture) {
            byte[] b = new byte[frame.remaining()];
            frame.duplicate().get(b);
            sent.add(b);
        }
        return true;
    }
}
