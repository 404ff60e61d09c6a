package org.devrt.network.internal.stack;

import org.devrt.network.internal.iface.Interface;
import org.devrt.network.internal.wire.Ipv4Cidr;

/**
 * One row of the routing table.
 *
 * @param network the destination network's first address
 * @param prefixLength its prefix
 * @param gateway the next hop, 0 when the destination is on the link
 * @param via the interface that sends
 * @param source the address the stack sends from (for LOCAL routes 0: the destination itself)
 * @param kind how the route came
 */
public record Route(int network, int prefixLength, int gateway, Interface via, int source, Kind kind) {
    /**
     * LOCAL: to one of our own addresses, through the loopback (Linux's local table, not shown by {@code ip route}).
     * REDIRECT: a host route an ICMP redirect gave (Linux's next-hop exceptions, {@code ip route show cache}).
     */
    public enum Kind { LOCAL, CONNECTED, GATEWAY, REDIRECT }

    boolean matches(int destination) {
        return ((destination ^ network) & Ipv4Cidr.netmask(prefixLength)) == 0;
    }

    int nextHop(int destination) {
        return gateway != 0 ? gateway : destination;
    }

    /**
     * The source address for {@code destination}: the route's; for a LOCAL route the destination itself (127.0.0.5
     * and this host's 10.0.2.15 answer as themselves, as on Linux), but for the loopback network's broadcast address,
     * which is no source, the interface's own address (as Linux sends to 127.255.255.255 from 127.0.0.1).
     */
    int sourceFor(int destination) {
        if (source != 0) {
            return source;
        }
        return via.isBroadcast(destination) ? via.address() : destination;
    }
}
