package org.devrt.network;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/** Opens UDP sockets on devrt's IPv4 stack. One service, registered by the network bundle. */
@ProviderType
public interface UdpService {
    /**
     * Binds a socket to a local address and port.
     *
     * @param local an interface's IPv4 address, or the wildcard address (every interface); port 0 picks a free
     *        port from 32768 to 60999
     * @throws IOException "Address already in use" when another socket has that port on that address (or on the
     *         wildcard); "Cannot assign requested address" when no interface has the address; IPv6 is refused
     */
    UdpSocket bind(InetSocketAddress local) throws IOException;

    /** Binds to the wildcard address: {@code bind(new InetSocketAddress("0.0.0.0", port))}. */
    default UdpSocket bind(int port) throws IOException {
        return bind(new InetSocketAddress(java.net.InetAddress.getByAddress(new byte[4]), port));
    }
}
