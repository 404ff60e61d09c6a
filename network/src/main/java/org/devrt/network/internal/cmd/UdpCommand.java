package org.devrt.network.internal.cmd;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.devrt.network.UdpService;
import org.devrt.network.UdpSocket;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.registry.shell.CommandOutput;

/**
 * {@code udpsend HOST PORT TEXT...} and {@code udplisten PORT [COUNT]}: a datagram out, datagrams in, through the
 * same {@link UdpService} other bundles use (like {@code nc -u}).
 */
public final class UdpCommand {
    static final String SEND_USAGE = """
            usage: udpsend [-b] ADDRESS PORT TEXT...
              sends TEXT (words joined by spaces) as one datagram
              -b    allow ADDRESS to be a broadcast address (SO_BROADCAST)""";
    static final String LISTEN_USAGE = """
            usage: udplisten [-w SECONDS] PORT [COUNT]
              prints COUNT datagrams (default 1) sent to PORT on any interface, as they come
              -w    give up after SECONDS without a datagram (default: wait until interrupted)""";

    private final UdpService udp;

    public UdpCommand(UdpService udp) {
        this.udp = udp;
    }

    public String send(List<String> args) {
        try {
            Options o = Options.parse(args, "b", "");
            if (o.help) {
                return SEND_USAGE;
            }
            if (o.operands.size() < 3) {
                throw new UsageException("ADDRESS, PORT and TEXT needed");
            }
            Ipv4Address to = address(o.operands.get(0));
            int port = port(o.operands.get(1));
            byte[] text = String.join(" ", o.operands.subList(2, o.operands.size())).getBytes(StandardCharsets.UTF_8);
            try (UdpSocket s = udp.bind(0)) {
                s.setBroadcast(o.flags.contains('b'));
                s.send(ByteBuffer.wrap(text), new InetSocketAddress(to.toInetAddress(), port));
                return "sent " + text.length + " bytes to " + to + ":" + port + " from port " + s.localAddress().getPort();
            }
        } catch (UsageException e) {
            return CommandOutput.error("udpsend: " + e.getMessage() + "\n" + SEND_USAGE);
        } catch (IOException e) {
            return CommandOutput.error("udpsend: " + e.getMessage());
        }
    }

    /** {@link #listen(List, PrintStream, PrintStream)} with errors where the output goes. */
    public int listen(List<String> args, PrintStream out) {
        return listen(args, out, out);
    }

    /**
     * Prints each datagram as {@code from 10.0.2.2:1234: text} while it waits, its errors to {@code err}; returns how
     * many came.
     */
    public int listen(List<String> args, PrintStream out, PrintStream err) {
        int port = 0;
        try {
            Options o = Options.parse(args, "", "w");
            if (o.help) {
                out.println(LISTEN_USAGE);
                return 0;
            }
            if (o.operands.isEmpty() || o.operands.size() > 2) {
                throw new UsageException("PORT and at most a COUNT");
            }
            port = port(o.operands.get(0));
            long count = o.operands.size() == 2 ? positive(o.operands.get(1)) : 1;
            Duration wait = o.values.containsKey("w") ? seconds(o.values.get("w")) : Duration.ofDays(365);
            int received = 0;
            try (UdpSocket s = udp.bind(port)) {
                out.println("listening on 0.0.0.0:" + port);
                ByteBuffer in = ByteBuffer.allocate(65536);
                while (received < count) {
                    in.clear();
                    InetSocketAddress from = s.receive(in, wait);
                    received++;
                    out.println("from " + from.getAddress().getHostAddress() + ":" + from.getPort() + ": "
                            + new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
                }
            } catch (SocketTimeoutException e) {
                out.println("udplisten: nothing for " + o.values.get("w") + " s");
            } catch (InterruptedIOException e) {
                Thread.interrupted();
            }
            return received;
        } catch (UsageException e) {
            err.println("udplisten: " + e.getMessage() + "\n" + LISTEN_USAGE);
        } catch (IOException e) {
            err.println("udplisten: port " + port + ": " + e.getMessage());
        }
        return 0;
    }

    /** A positive number of seconds, fractions allowed ({@code -w 1.5}), as ping's {@code -W} takes them. */
    private static Duration seconds(String text) {
        try {
            double s = Double.parseDouble(text);
            if (!(s > 0) || s > 365 * 86400) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos((long) (s * 1e9));
        } catch (NumberFormatException e) {
            throw new UsageException("not a positive number of seconds: " + text);
        }
    }

    private static Ipv4Address address(String text) {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static int port(String text) {
        long p = positive(text);
        if (p > 65535) {
            throw new UsageException("port " + text + " is not 1 to 65535");
        }
        return (int) p;
    }

    private static long positive(String text) {
        try {
            long n = Long.parseLong(text);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("not a positive number: " + text);
        }
    }
}
