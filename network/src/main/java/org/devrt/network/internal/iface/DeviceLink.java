package org.devrt.network.internal.iface;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.device.NetworkDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NetworkDevice} service as a {@link Link}. The driver delivers frames on its receive thread into a bounded
 * {@link FrameQueue} (one copy; the driver's buffer is only lent) and calls the {@code arrived} callback, which in
 * the runtime takes them into the stack on that same thread if the stack is free, or wakes the stack's thread
 * ({@link org.devrt.network.internal.stack.Stack#frameArrived}). Any exception from the driver (a device that
 * went away) is caught here and counted as a transmit error.
 */
public final class DeviceLink implements Link {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceLink.class);

    private final NetworkDevice device;
    private final MacAddress mac;
    private final int mtu;
    private final FrameQueue queue;
    private volatile long transmitFailures;

    /** The device this link sends and receives through. */
    public NetworkDevice device() {
        return device;
    }

    /** @param maxFrames received frames that may wait for the stack; {@code arrived} tells the stack one arrived */
    public DeviceLink(NetworkDevice device, int maxFrames, Runnable arrived) {
        this.device = device;
        this.mac = device.macAddress();
        this.mtu = device.mtu();
        this.queue = new FrameQueue(maxFrames, maxFrames * (14 + mtu), arrived);
    }

    /** Starts receiving: installs the receiver on the device. */
    public void attach() {
        device.setReceiver(queue::push);
    }

    /** Stops receiving; the device may be gone already. */
    public void detach() {
        try {
            device.setReceiver(null);
        } catch (RuntimeException e) {
            LOG.debug("removing the receiver of {}: {}", mac, e.toString());
        }
    }

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public boolean isLinkUp() {
        try {
            return device.isLinkUp();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public ByteBuffer receive() {
        return queue.next();
    }

    @Override
    public boolean transmit(ByteBuffer frame) {
        try {
            return device.transmit(frame);
        } catch (RuntimeException e) {
            transmitFailures++;
            return false;
        }
    }

    /** The device's counters, with frames the stack had no room for as received and dropped. */
    @Override
    public NetworkCounters counters() {
        NetworkCounters c;
        try {
            c = device.counters();
        } catch (RuntimeException e) {
            c = NetworkCounters.ZERO;
        }
        return new NetworkCounters(c.rxPackets(), c.rxBytes(), c.rxDropped() + queue.overflows(), c.rxErrors(),
                c.txPackets(), c.txBytes(), c.txDropped(), c.txErrors() + transmitFailures);
    }
}
