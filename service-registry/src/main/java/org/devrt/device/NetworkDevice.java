package org.devrt.device;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An Ethernet port, provided by a driver (one service per port).
 *
 * <p>Frames are Ethernet II frames from the destination MAC to the end of the payload, without the FCS.
 * The stack that owns the port installs one {@link FrameReceiver}; the driver calls it from its receive
 * path with a buffer it lends for the duration of the call.
 */
@ProviderType
public interface NetworkDevice {
    /** The port's MAC address. */
    MacAddress macAddress();

    /** Largest payload (bytes after the 14-byte Ethernet header) the port carries. */
    int mtu();

    /** Whether the link is up. Changes are published as {@link DeviceEvents#LINK} events. */
    boolean isLinkUp();

    /**
     * Queues one frame for transmission. The frame is copied before this returns; the caller keeps its buffer.
     *
     * @return false if the transmit ring is full or the link is down (the frame is counted as dropped)
     * @throws IllegalArgumentException if the frame is shorter than an Ethernet header or longer than
     *         {@code 14 + mtu()} bytes
     */
    boolean transmit(ByteBuffer frame);

    /**
     * Installs the receiver of incoming frames, replacing any previous one; {@code null} removes it (frames
     * are then dropped and counted).
     */
    void setReceiver(FrameReceiver receiver);

    /** A snapshot of the port's counters. */
    NetworkCounters counters();
}
