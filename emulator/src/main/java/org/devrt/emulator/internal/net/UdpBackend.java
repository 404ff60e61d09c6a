package org.devrt.emulator.internal.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code backend=udp:local=127.0.0.1:5555,remote=127.0.0.1:5556}: one Ethernet frame per UDP datagram, no header and
 * no FCS, as QEMU's {@code -netdev dgram} frames them. The socket is bound to the local address and connected to the
 * remote one, so only the remote's datagrams arrive. Both must be loopback addresses (127.0.0.0/8, or
 * {@code localhost}); anything else is refused, without a name lookup. Local port 0 picks a free port. The link is up
 * while the socket is open: UDP cannot tell whether anyone listens. One reader thread per link.
 */
final class UdpBackend extends BackendBase {
    private static final Logger LOG = LoggerFactory.getLogger(UdpBackend.class);
    /** The largest UDP payload over IPv4. */
    static final int MAX_DATAGRAM = 65507;

    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final String owner;
    private final ByteBuffer incoming = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private volatile Thread reader;

    private UdpBackend(DatagramChannel channel, InetSocketAddress remote, String owner) throws IOException {
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.remote = remote;
        this.owner = owner;
    }

    /**
     * Binds and connects the socket for {@code parameters}, e.g. {@code local=127.0.0.1:0,remote=127.0.0.1:5556}.
     *
     * @throws IllegalArgumentException for a malformed or non-loopback address, or a port that cannot be bound
     */
    static UdpBackend open(String parameters, String owner) {
        Map<String, String> values = keyValues(parameters);
        InetSocketAddress local = loopback("local", values.getOrDefault("local", "127.0.0.1:0"), true);
        String remoteText = values.get("remote");
        if (remoteText == null) {
            throw new IllegalArgumentException("udp backend needs remote=127.0.0.1:<port> (the peer's port)");
        }
        InetSocketAddress remote = loopback("remote", remoteText, false);
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.bind(local);
            channel.connect(remote);
            return new UdpBackend(channel, remote, owner);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalArgumentException("udp backend: cannot bind " + local + " and connect to " + remote + ": "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, String> keyValues(String parameters) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : parameters.split(",")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part.trim() : part.substring(0, eq).trim();
            if (eq < 0 || !(key.equals("local") || key.equals("remote"))) {
                throw new IllegalArgumentException("udp backend: '" + part
                        + "' is not local=<host:port> or remote=<host:port>");
            }
            values.put(key, part.substring(eq + 1).trim());
        }
        return values;
    }

    /**
     * Parses {@code 127.0.0.1:5555} or {@code localhost:5555} without any name lookup.
     *
     * @throws IllegalArgumentException naming {@code what} if the host is not a loopback address or the port is bad
     */
    static InetSocketAddress loopback(String what, String text, boolean portZeroAllowed) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("udp backend: " + what + " address '" + text + "' is not <host>:<port>");
        }
        String host = text.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < (portZeroAllowed ? 0 : 1) || port > 0xffff) {
            throw new IllegalArgumentException("udp backend: " + what + " port in '" + text + "' must be "
                    + (portZeroAllowed ? "0" : "1") + "-65535");
        }
        byte[] ip = host.equals("localhost") ? new byte[] {127, 0, 0, 1} : ipv4(host);
        if (ip == null || ip[0] != 127) {
            throw new IllegalArgumentException("udp backend: " + what + " address " + host
                    + " is not a loopback address; the UDP link talks to 127.0.0.0/8 (e.g. 127.0.0.1) only");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dotted-quad IPv4 literal, or null. */
    private static byte[] ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return null;
            }
            out[i] = (byte) value;
        }
        return out;
    }

    /** The bound address, with the port the system chose for local port 0. */
    InetSocketAddress localAddress() {
        return local;
    }

    @Override
    protected void started() {
        Thread t = new Thread(this::readLoop, "devrt-udp-link-" + local.getPort());
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    private void readLoop() {
        while (!isClosed()) {
            try {
                incoming.clear();
                channel.read(incoming);
                incoming.flip();
                deliver(incoming);
            } catch (PortUnreachableException e) {
                LOG.debug("{}: nobody listens at {} (ICMP port unreachable)", owner, remote);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!isClosed()) {
                    LOG.warn("{}: UDP link read failed; the link stops receiving: {}", owner, e.toString());
                }
                return;
            }
        }
    }

    @Override
    protected boolean carrier() {
        return channel.isOpen();
    }

    @Override
    protected boolean transmit(ByteBuffer frame) {
        if (frame.remaining() > MAX_DATAGRAM) {
            return false;
        }
        try {
            channel.write(frame);
            return true;
        } catch (PortUnreachableException e) {
            LOG.debug("{}: nobody listens at {} (ICMP port unreachable)", owner, remote);
            return false;
        } catch (IOException e) {
            LOG.debug("{}: UDP send to {} failed: {}", owner, remote, e.toString());
            return false;
        }
    }

    @Override
    protected void release() {
        closeQuietly(channel);
        Thread t = reader;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing a UDP socket failed", e);
            }
        }
    }

    @Override
    public String description() {
        return "udp:local=" + text(local) + ",remote=" + text(remote);
    }

    private static String text(InetSocketAddress a) {
        String host = a.getAddress() instanceof Inet4Address ip ? ip.getHostAddress() : a.getHostString();
        return host + ":" + a.getPort();
    }
}
