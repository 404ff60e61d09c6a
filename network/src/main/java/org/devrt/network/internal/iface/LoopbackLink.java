package org.devrt.network.internal.iface;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;

/** The loopback port: every frame sent is received back (Linux's {@code lo}, smoltcp's {@code Loopback}). */
public final class LoopbackLink implements Link {
    /** Linux's loopback MTU. */
    public static final int MTU = 65536;
    static final MacAddress ZERO = MacAddress.of(new byte[6]);

    private final FrameQueue queue;
    private long packets;
    private long bytes;
    private long dropped;

    /** @param maxFrames frames in flight at most; {@code wake} tells the stack that one arrived */
    public LoopbackLink(int maxFrames, Runnable wake) {
        this.queue = new FrameQueue(maxFrames, 4 * (14 + MTU), wake);
    }

    @Override
    public MacAddress macAddress() {
        return ZERO;
    }

    @Override
    public int mtu() {
        return MTU;
    }

    @Override
    public boolean isLinkUp() {
        return true;
    }

    @Override
    public boolean isLoopback() {
        return true;
    }

    @Override
    public ByteBuffer receive() {
        return queue.next();
    }

    @Override
    public synchronized boolean transmit(ByteBuffer frame) {
        int length = frame.remaining();
        if (!queue.push(frame)) {
            dropped++;
            return false;
        }
        packets++;
        bytes += length;
        return true;
    }

    /** What went out came in: the receive and transmit counters are the same. */
    @Override
    public synchronized NetworkCounters counters() {
        return new NetworkCounters(packets, bytes, 0, 0, packets, bytes, dropped, 0);
    }
}
