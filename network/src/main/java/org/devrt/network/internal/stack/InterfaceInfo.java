package org.devrt.network.internal.stack;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.device.NetworkDevice;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;

/**
 * An interface as the shell shows it: a snapshot taken under the stack's lock.
 *
 * @param index its number ({@code 1: lo})
 * @param name its name
 * @param mac its MAC (all zeros for the loopback)
 * @param mtu bytes after the Ethernet header
 * @param up administratively up
 * @param running up with carrier
 * @param loopback whether it is the loopback
 * @param cidr address and prefix, or null
 * @param gateway default gateway through it, or null
 * @param counters the device's counters
 * @param device the network device it runs over; null for the loopback (and a test's link): what tells two NICs
 *        with one MAC apart
 */
public record InterfaceInfo(int index, String name, MacAddress mac, int mtu, boolean up, boolean running,
        boolean loopback, Ipv4Cidr cidr, Ipv4Address gateway, NetworkCounters counters, NetworkDevice device) {
}
