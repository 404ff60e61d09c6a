package org.devrt.network.internal.stack;

import org.devrt.network.internal.wire.Ipv4Address;

/**
 * A bound UDP socket as netstat shows it.
 *
 * @param address the local address (0.0.0.0 for the wildcard)
 * @param port the local port
 * @param receiveQueueBytes bytes waiting to be received
 */
public record UdpSocketInfo(Ipv4Address address, int port, int receiveQueueBytes) {
}
