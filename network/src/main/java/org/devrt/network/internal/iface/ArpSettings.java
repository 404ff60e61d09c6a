package org.devrt.network.internal.iface;

import java.util.concurrent.TimeUnit;

/**
 * How an interface resolves addresses (names after Linux's neighbour table settings).
 *
 * @param cacheSize entries per interface; the least recently confirmed is replaced when full
 * @param reachableNanos how long a learnt address is used before it is resolved again
 * @param retransmitNanos the least time between two requests for one address (the rate limit)
 * @param maxRequests requests sent for one address before it is marked failed (mcast_solicit)
 * @param queueSlots packets that may wait for a resolution, all destinations together
 * @param queuePerDestination packets that may wait for one destination (unres_qlen)
 */
public record ArpSettings(int cacheSize, long reachableNanos, long retransmitNanos, int maxRequests, int queueSlots,
        int queuePerDestination) {
    /**
     * 64 entries, 60 s reachable, one request a second, three requests, 128 queued packets, 101 per destination (as
     * Linux's unres_qlen_bytes of 212,992 bytes holds about 101 full frames): every fragment of the largest datagram
     * (45) waits for the first resolution of its next hop. With 3 per destination, a datagram of more than three
     * fragments sent to a next hop not resolved yet was lost, its first fragments sent for nothing. Slots are made on
     * first use, 1.5 KB each.
     */
    public static final ArpSettings DEFAULTS = new ArpSettings(64, TimeUnit.SECONDS.toNanos(60),
            TimeUnit.SECONDS.toNanos(1), 3, 128, 101);

    public ArpSettings {
        if (cacheSize < 1 || reachableNanos <= 0 || retransmitNanos <= 0 || maxRequests < 1 || queueSlots < 1
                || queuePerDestination < 1) {
            throw new IllegalArgumentException("ARP settings must be positive: " + this);
        }
    }
}
