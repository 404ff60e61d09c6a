package org.devrt.network.internal.iface;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;

/**
 * A frame-in, frame-out port the stack drives (smoltcp's {@code Device}): a NIC ({@link DeviceLink}), the loopback
 * ({@link LoopbackLink}), or in tests a wire to another stack and a fault-injecting wrapper. The stack calls
 * {@link #receive()} and {@link #transmit} from its one thread; frames arrive on other threads and wake it.
 */
public interface Link {
    MacAddress macAddress();

    /** Largest payload after the 14-byte Ethernet header. */
    int mtu();

    /** Whether the carrier is up (the device's link, not the interface's administrative state). */
    boolean isLinkUp();

    /** The next received frame (position to limit), lent until the next call; null when there is none. */
    ByteBuffer receive();

    /** Sends the frame between position and limit, copying it; false when the port refused it (counted there). */
    boolean transmit(ByteBuffer frame);

    /** A snapshot of the port's counters. */
    NetworkCounters counters();

    /** Whether frames sent come back (no ARP, no broadcast medium). */
    default boolean isLoopback() {
        return false;
    }
}
