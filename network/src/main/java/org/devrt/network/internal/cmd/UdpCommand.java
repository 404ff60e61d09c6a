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
    static final String SEND_USAGE = "usage: udpsend ADDRESS PORT TEXT...\n  sends TEXT (words joined by spaces) as one datagram";
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
            Options o = Options.parse(args, "", "");
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
                s.send(ByteBuffer.wrap(text), new InetSocketAddress(to.toInetAddress(), port));
                return "sent " + text.length + " bytes to " + to + ":" + port + " from port " + s.localAddress().getPort();
            }
        } catch (UsageException e) {
            return CommandOutput.error("udpsend: " + e.getMessage() + "\n" + SEND_USAGE);
        } catch (IOException e) {
            return CommandOutput.error("udpsend: " + e.getMessage());
        }
    }

    /** Prints each datagram as {@code from 10.0.2.2:1234: text} while it waits; returns how many came. */
    public int listen(List<String> args, PrintStream out) {
        try {
            Options o = Options.parse(args, "", "w");
            if (o.help || o.operands.isEmpty() || o.operands.size() > 2) {
                out.println(o.help ? LISTEN_USAGE : "udplisten: PORT and at most a COUNT\n" + LISTEN_USAGE);
                return 0;
            }
            int port = port(o.operands.get(0));
            long count = o.operands.size() == 2 ? positive(o.operands.get(1)) : 1;
            Duration wait = o.values.containsKey("w") ? Duration.ofSeconds(positive(o.values.get("w")))
                    : Duration.ofDays(365);
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
                out.println("udplisten: nothing for " + wait.toSeconds() + " s");
            } catch (InterruptedIOException e) {
                Thread.interrupted();
            }
            return received;
        } catch (UsageException e) {
            out.println("udplisten: " + e.getMessage() + "\n" + LISTEN_USAGE);
        } catch (IOException e) {
            out.println("udplisten: " + e.getMessage());
        }
        return 0;
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
