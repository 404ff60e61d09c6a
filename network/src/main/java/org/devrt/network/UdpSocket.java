package org.devrt.network;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A bound UDP socket. Thread-safe: one thread may receive while others send. Its receive queue is bounded;
 * datagrams that arrive when it is full are dropped (and counted by the stack).
 */
@ProviderType
public interface UdpSocket extends Closeable {
    /** The address and port it is bound to (the wildcard address when bound to every interface). */
    InetSocketAddress localAddress();

    /**
     * Sends the bytes between the payload's position and limit as one datagram; the position moves to the limit.
     *
     * @throws IOException "Network is unreachable" (no route), "Message too long" (more than 65507 bytes, what one
     *         IPv4 datagram carries; a datagram larger than the interface's MTU goes in fragments), "Permission
     *         denied" (a broadcast address, without {@link #setBroadcast}), "Socket is closed", or the interface's
     *         failure
     */
    void send(ByteBuffer payload, InetSocketAddress target) throws IOException;

    /**
     * Whether the socket may send to a broadcast address (255.255.255.255, or the broadcast address of an
     * interface's network); off until set, as Linux's {@code SO_BROADCAST} and {@code DatagramChannel}'s: a
     * broadcast reaches every host of the network, so it is never sent by mistake.
     *
     * @since 1.1
     */
    void setBroadcast(boolean on);

    /**
     * Waits up to {@code timeout} for a datagram and copies it into {@code into} (what does not fit is discarded,
     * as with {@link java.nio.channels.DatagramChannel}).
     *
     * @return the sender
     * @throws java.net.SocketTimeoutException when nothing came in time
     * @throws IOException "Socket is closed", or "interface eth0 went away" for a socket bound to that
     *         interface's address
     */
    InetSocketAddress receive(ByteBuffer into, Duration timeout) throws IOException;

    /** Whether it is neither closed nor failed. */
    boolean isOpen();

    /** Unbinds the socket; a thread waiting in {@link #receive} gets "Socket is closed". Idempotent. */
    @Override
    void close();
}
