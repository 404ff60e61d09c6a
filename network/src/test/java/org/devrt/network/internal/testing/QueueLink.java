package org.devrt.network.internal.testing;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.network.internal.iface.FrameQueue;
import org.devrt.network.internal.iface.Link;

/** A test link whose received frames wait in a queue that whatever is on the other side fills; MTU 1500. */
public abstract class QueueLink implements Link {
    private final MacAddress mac;
    /** What the stack will receive. */
    protected final FrameQueue incoming = new FrameQueue(1024, 1024 * 1514, () -> { });

    protected QueueLink(MacAddress mac) {
        this.mac = mac;
    }

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    @Override
    public int mtu() {
        return 1500;
    }

    @Override
    public boolean isLinkUp() {
        return true;
    }

    @Override
    public ByteBuffer receive() {
        return incoming.next();
    }

    @Override
    public NetworkCounters counters() {
        return NetworkCounters.ZERO;
    }
}
