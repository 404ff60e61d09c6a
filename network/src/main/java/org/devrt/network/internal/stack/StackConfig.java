package org.devrt.network.internal.stack;

import java.util.concurrent.TimeUnit;

import org.devrt.network.internal.iface.ArpSettings;

/**
 * The stack's limits: every queue and table is bounded by one of these.
 *
 * @param arp address resolution per interface
 * @param linkQueueFrames received frames that may wait per interface for the stack's thread
 * @param reassemblySlots datagrams reassembled at once (each may take up to {@code reassemblyMaxBytes}); at least
 *     one, which a newer datagram takes over when all are in use
 * @param reassemblyMaxBytes largest reassembled datagram, header excluded (at most 65515)
 * @param reassemblyTimeoutNanos how long the fragments of one datagram may take (Linux: 30 s)
 * @param udpQueuePackets datagrams a socket's receive queue holds
 * @param udpQueueBytes payload bytes a socket's receive queue holds
 * @param ttl the time to live of what the stack sends
 * @param icmpErrorsPerSecond ICMP errors sent per second at most (RFC 1812 4.3.2.8 style rate limit)
 * @param rxBudget frames taken from one link per poll before the others get a turn
 */
public record StackConfig(ArpSettings arp, int linkQueueFrames, int reassemblySlots, int reassemblyMaxBytes,
        long reassemblyTimeoutNanos, int udpQueuePackets, int udpQueueBytes, int ttl, int icmpErrorsPerSecond,
        int rxBudget) {
    public static final StackConfig DEFAULTS = new StackConfig(ArpSettings.DEFAULTS, 256, 4, 65515,
            TimeUnit.SECONDS.toNanos(30), 64, 256 * 1024, 64, 100, 64);

    public StackConfig {
        if (linkQueueFrames < 1 || reassemblySlots < 1 || reassemblyMaxBytes < 8 || reassemblyMaxBytes > 65515
                || reassemblyTimeoutNanos <= 0 || udpQueuePackets < 1 || udpQueueBytes < 1 || ttl < 1 || ttl > 255
                || icmpErrorsPerSecond < 0 || rxBudget < 1) {
            throw new IllegalArgumentException("stack limits out of range: " + this);
        }
    }

    public StackConfig withArp(ArpSettings a) {
        return new StackConfig(a, linkQueueFrames, reassemblySlots, reassemblyMaxBytes, reassemblyTimeoutNanos,
                udpQueuePackets, udpQueueBytes, ttl, icmpErrorsPerSecond, rxBudget);
    }

    public StackConfig withReassembly(int slots, int maxBytes, long timeoutNanos) {
        return new StackConfig(arp, linkQueueFrames, slots, maxBytes, timeoutNanos, udpQueuePackets, udpQueueBytes,
                ttl, icmpErrorsPerSecond, rxBudget);
    }

    public StackConfig withUdpQueue(int packets, int bytes) {
        return new StackConfig(arp, linkQueueFrames, reassemblySlots, reassemblyMaxBytes, reassemblyTimeoutNanos,
                packets, bytes, ttl, icmpErrorsPerSecond, rxBudget);
    }
}
