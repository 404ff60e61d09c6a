package org.devrt.network.internal.iface;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.wire.Ipv4Address;

/**
 * An ARP cache entry as {@code ip neigh} and {@code arp -n} show it.
 *
 * @param interfaceName the interface whose cache holds it
 * @param address the IPv4 address
 * @param mac its MAC, null while INCOMPLETE or FAILED
 * @param state INCOMPLETE, REACHABLE or FAILED
 */
public record Neighbour(String interfaceName, Ipv4Address address, MacAddress mac, String state) {
}
