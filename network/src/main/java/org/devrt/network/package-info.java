/**
 * UDP sockets on devrt's IPv4 stack, for other bundles.
 *
 * <p>Get the {@link org.devrt.network.UdpService} service and {@link org.devrt.network.UdpService#bind bind} a
 * {@link org.devrt.network.UdpSocket}: to one interface's address, or to the wildcard address (every interface).
 * Sending is synchronous (the datagram is on its way, or waiting for ARP, when {@code send} returns); receiving
 * waits up to a time-out. A socket bound to an interface's address fails with an {@link java.io.IOException}
 * naming the interface when that interface goes away.
 */
@Export
@Version("1.1.0")
package org.devrt.network;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
