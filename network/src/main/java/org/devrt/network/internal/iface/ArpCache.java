package org.devrt.network.internal.iface;

import java.util.ArrayList;
import java.util.List;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.wire.Arp;
import org.devrt.network.internal.wire.Ipv4Address;

/**
 * One interface's IPv4-to-MAC table (RFC 826, with RFC 1122 2.3.2.1's rate limit). An entry is INCOMPLETE while
 * requests go out (no more than one per {@code retransmit}), REACHABLE once learnt until {@code reachable} has
 * passed, then STALE: still used, and once used checked by unicast requests to its MAC (PROBE, one per
 * {@code retransmit}, at most {@code maxRequests}), as Linux's neighbour states and RFC 1122 2.3.2.1's unicast poll;
 * an answer makes it REACHABLE again, none forgets it, and so does {@code reachable} more unused. After
 * {@code maxRequests} unanswered broadcast requests an entry is FAILED, and a new packet for it starts over no
 * sooner than {@code retransmit} after the last request. Entries are preallocated.
 */
final class ArpCache {
    enum State { INCOMPLETE, REACHABLE, FAILED }

    private static final class Entry {
        boolean used;
        int address;
        MacAddress mac;
        State state;
        long updatedAt;
        long lastRequestAt;
        int requests;
        /** REACHABLE past its time and used since: unicast probes go out ({@code requests} of them so far). */
        boolean probing;
    }

    private final ArpSettings settings;
    private final Entry[] entries;
    /** The entry found last: most packets go to the same next hop (the gateway). */
    private Entry last;

    ArpCache(ArpSettings settings) {
        this.settings = settings;
        this.entries = new Entry[settings.cacheSize()];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new Entry();
        }
    }

    /**
     * The MAC of a reachable or stale {@code address}, else null. A stale one is used while it is checked: the first
     * use starts the unicast probes ({@link #poll}), as Linux sends on a STALE entry and checks it meanwhile; it was
     * forgotten, and the packet waited for a broadcast request and its answer.
     */
    MacAddress lookup(int address, long now) {
        Entry e = find(address);
        if (e == null || e.state != State.REACHABLE) {
            return null;
        }
        if (now - e.updatedAt > settings.reachableNanos() && !e.probing) {
            e.probing = true;
            e.requests = 0;
            e.lastRequestAt = now - settings.retransmitNanos(); // the first probe at the next poll
        }
        return e.mac;
    }

    /**
     * Records the ARP packet's sender. With {@code create} false only an existing entry is updated (RFC 826's merge
     * flag). Returns whether an entry was updated or created; the caller then sends what waited for it.
     */
    boolean learn(Arp.Packet arp, long now, boolean create) {
        int address = arp.senderProtocol();
        Entry e = find(address);
        if (e == null) {
            if (!create) {
                return false;
            }
            e = claim(address, now);
        }
        if (e.mac == null || !arp.senderHardwareIs(e.mac)) {
            e.mac = arp.senderHardware();
        }
        e.state = State.REACHABLE;
        e.updatedAt = now;
        e.requests = 0;
        e.probing = false;
        return true;
    }

    /**
     * Whether a request for {@code address} should go out now, which the caller then sends: true for an address not
     * yet asked about, or asked about more than {@code retransmit} ago (a FAILED entry starts over).
     */
    boolean requestDue(int address, long now) {
        Entry e = find(address);
        if (e == null) {
            e = claim(address, now);
        } else if (e.state == State.REACHABLE) {
            return false; // stale ones are used and checked by unicast probes
        } else if (e.requests > 0 && now - e.lastRequestAt < settings.retransmitNanos()) {
            return false;
        }
        if (e.state != State.INCOMPLETE) {
            e.state = State.INCOMPLETE;
            e.requests = 0;
            e.probing = false;
        }
        e.requests++;
        e.lastRequestAt = now;
        return true;
    }

    /** Timers, for {@link Interface#poll}. */
    interface Timers {
        /** A request for {@code address} is due again. */
        void retransmit(int address);

        /** {@code address} did not answer; what waits for it must go. */
        void failed(int address);

        /** A stale entry is checked: a request for {@code address} goes to {@code mac} alone. */
        void probe(int address, MacAddress mac);
    }

    /** Forgets expired entries, retransmits and fails incomplete ones. */
    void poll(long now, Timers timers) {
        for (Entry e : entries) {
            if (!e.used) {
                continue;
            }
            if (e.state == State.REACHABLE && e.probing) {
                if (now - e.lastRequestAt >= settings.retransmitNanos()) {
                    if (e.requests < settings.maxRequests()) {
                        e.requests++;
                        e.lastRequestAt = now;
                        timers.probe(e.address, e.mac);
                    } else {
                        e.used = false; // no answer to the unicast probes: the next packet asks everyone
                    }
                }
            } else if (e.state == State.REACHABLE && now - e.updatedAt > 2 * settings.reachableNanos()) {
                e.used = false; // stale and unused as long again
            } else if (e.state == State.INCOMPLETE && now - e.lastRequestAt >= settings.retransmitNanos()) {
                if (e.requests < settings.maxRequests()) {
                    e.requests++;
                    e.lastRequestAt = now;
                    timers.retransmit(e.address);
                } else {
                    e.state = State.FAILED;
                    e.updatedAt = now;
                    timers.failed(e.address);
                }
            } else if (e.state == State.FAILED && now - e.updatedAt > settings.reachableNanos()) {
                e.used = false;
            }
        }
    }

    /** When {@link #poll} next has something to do; Long.MAX_VALUE when never. */
    long pollAt() {
        long at = Long.MAX_VALUE;
        for (Entry e : entries) {
            if (e.used) {
                long due = e.state == State.INCOMPLETE || e.probing ? e.lastRequestAt + settings.retransmitNanos()
                        : e.state == State.REACHABLE ? e.updatedAt + 2 * settings.reachableNanos() + 1
                        : e.updatedAt + settings.reachableNanos() + 1;
                at = Math.min(at, due);
            }
        }
        return at;
    }

    void clear() {
        for (Entry e : entries) {
            e.used = false;
        }
    }

    /** The entries as {@code ip neigh} shows them: REACHABLE, STALE, PROBE, INCOMPLETE or FAILED. */
    List<Neighbour> rows(String interfaceName, long now) {
        List<Neighbour> rows = new ArrayList<>();
        for (Entry e : entries) {
            if (e.used) {
                String state = e.state != State.REACHABLE ? e.state.name() : e.probing ? "PROBE"
                        : now - e.updatedAt > settings.reachableNanos() ? "STALE" : "REACHABLE";
                rows.add(new Neighbour(interfaceName, new Ipv4Address(e.address),
                        e.state == State.REACHABLE ? e.mac : null, state));
            }
        }
        return rows;
    }

    private Entry find(int address) {
        Entry hit = last;
        if (hit != null && hit.used && hit.address == address) {
            return hit;
        }
        for (Entry e : entries) {
            if (e.used && e.address == address) {
                last = e;
                return e;
            }
        }
        return null;
    }

    /** A free entry, else the one confirmed longest ago, made an empty entry for {@code address}. */
    private Entry claim(int address, long now) {
        Entry victim = null;
        for (Entry e : entries) {
            if (!e.used) {
                victim = e;
                break;
            }
            if (victim == null || e.updatedAt - victim.updatedAt < 0) {
                victim = e;
            }
        }
        victim.used = true;
        victim.address = address;
        victim.mac = null;
        victim.state = State.INCOMPLETE;
        victim.requests = 0;
        victim.updatedAt = now;
        victim.lastRequestAt = now;
        return victim;
    }
}
