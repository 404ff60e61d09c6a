package org.devrt.device;

/**
 * Counters of a {@link NetworkDevice}, in the sense of Linux's {@code ip -s link}.
 *
 * @param rxPackets frames received and handed to the receiver
 * @param rxBytes bytes of those frames
 * @param rxDropped frames received but dropped (no receiver, no buffer)
 * @param rxErrors frames received with an error
 * @param txPackets frames transmitted
 * @param txBytes bytes of those frames
 * @param txDropped frames refused because the ring was full or the link down
 * @param txErrors frames the device failed to send
 */
public record NetworkCounters(long rxPackets, long rxBytes, long rxDropped, long rxErrors,
        long txPackets, long txBytes, long txDropped, long txErrors) {
    /** All zero. */
    public static final NetworkCounters ZERO = new NetworkCounters(0, 0, 0, 0, 0, 0, 0, 0);
}
