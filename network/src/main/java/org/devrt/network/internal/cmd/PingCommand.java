package org.devrt.network.internal.cmd;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.devrt.network.internal.stack.EchoSocket;
import org.devrt.network.internal.stack.Stack;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4Address;

/**
 * {@code ping [-b] [-c count] [-s size] [-i interval] [-W timeout] ADDRESS}, printing as iputils does: the header,
 * a line per reply (or ICMP error) as it comes, and on the end or on interrupt (Ctrl-C) the statistics with
 * {@code rtt min/avg/max/mdev}. Without {@code -c} it runs until interrupted, as on Linux.
 */
public final class PingCommand {
    static final String USAGE = """
            usage: ping [-b] [-c count] [-s size] [-i interval] [-W timeout] ADDRESS
              -b    allow pinging a broadcast address
              -c    stop after count replies sent (default: until interrupted)
              -s    data bytes per request (default 56)
              -i    seconds between requests (default 1)
              -W    seconds to wait after the last request when nothing came back (default 10);
                    once replies came, twice the longest round trip, at least the interval""";

    private final Stack stack;

    public PingCommand(Stack stack) {
        this.stack = stack;
    }

    /** {@link #run(List, PrintStream, PrintStream)} with errors where the output goes. */
    public int run(List<String> args, PrintStream out) {
        return run(args, out, out);
    }

    /**
     * Runs the ping, printing as it goes, its errors (a wrong line, a failed send) to {@code err} as iputils does;
     * returns the exit status Linux's ping would (0 a reply, 1 none, 2 error).
     */
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Settings s;
        try {
            s = Settings.parse(args);
        } catch (UsageException e) {
            err.println("ping: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (s == null) {
            out.println(USAGE);
            return 2;
        }
        if (stack.isBroadcast(s.destination())) { // as iputils: every host of the network answers, on purpose only
            if (!s.broadcast()) {
                err.println("ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules");
                return 2;
            }
            err.println("WARNING: pinging broadcast address");
        }
        try (EchoSocket socket = stack.openEcho()) {
            return new Session(s, socket, out, err).run();
        }
    }

    record Settings(Ipv4Address destination, long count, int size, long intervalNanos, long lingerNanos,
            boolean broadcast) {
        static Settings parse(List<String> args) {
            Options o = Options.parse(args, "nb", "csiW");
            if (o.help) {
                return null;
            }
            if (o.operands.size() != 1) {
                throw new UsageException(o.operands.isEmpty() ? "usage error: Destination address required"
                        : "one destination, not " + String.join(" ", o.operands));
            }
            Ipv4Address to;
            try {
                to = Ipv4Address.parse(o.operands.get(0));
            } catch (IllegalArgumentException e) {
                throw new UsageException(o.operands.get(0) + ": Name or service not known (devrt takes addresses only)");
            }
            long count = number(o, "c", Long.MAX_VALUE, 1, Long.MAX_VALUE);
            int size = (int) number(o, "s", 56, 0, 65507);
            long interval = seconds(o, "i", 1.0, 0.002);
            long linger = seconds(o, "W", 10.0, 0);
            return new Settings(to, count, size, interval, linger, o.flags.contains('b'));
        }

        private static long number(Options o, String option, long otherwise, long min, long max) {
            String v = o.values.get(option);
            if (v == null) {
                return otherwise;
            }
            try {
                long n = Long.parseLong(v);
                if (n < min || n > max) {
                    throw new UsageException("invalid argument: '" + v + "': out of range: " + min + " <= value <= " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException("invalid argument: '" + v + "'");
            }
        }

        private static long seconds(Options o, String option, double otherwise, double min) {
            String v = o.values.get(option);
            double d = otherwise;
            if (v != null) {
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new UsageException("option argument contains garbage: " + v);
                }
                if (!(d >= min) || d > 3600) {
                    throw new UsageException("bad timing interval: " + v + " (" + min + " to 3600 seconds)");
                }
            }
            return (long) (d * 1e9);
        }
    }

    /** One run: what was sent, what came back, the statistics. */
    private static final class Session {
        private final Settings s;
        private final EchoSocket socket;
        private final PrintStream out;
        private final PrintStream err;
        private final long[] sentAt = new long[65536];
        private final BitSet answered = new BitSet(65536);
        private long transmitted;
        private long received;
        private long duplicates;
        private long errors;
        private long minMicros = Long.MAX_VALUE;
        private long maxMicros;
        private long sumMicros;
        private long sumSquares;

        Session(Settings s, EchoSocket socket, PrintStream out, PrintStream err) {
            this.s = s;
            this.socket = socket;
            this.out = out;
            this.err = err;
        }

        int run() {
            long start = System.nanoTime();
            try {
                long nextAt = start;
                for (long n = 1; n <= s.count(); n++) {
                    int seq = (int) (n & 0xffff);
                    answered.clear(seq);
                    try {
                        sentAt[seq] = socket.send(s.destination().value(), seq, s.size());
                        if (transmitted == 0) { // after the first request: as iputils, no header for a ping that
                                                // cannot start (its connect() fails first)
                            String to = s.destination().toString();
                            out.println("PING " + to + " (" + to + ") " + s.size() + "(" + (s.size() + 28)
                                    + ") bytes of data.");
                        }
                    } catch (InterruptedIOException e) {
                        throw e;
                    } catch (IOException e) {
                        if (transmitted == 0 && socket.failure() == null) { // ping cannot start: exit 2, no statistics
                            err.println("ping: connect: " + e.getMessage());
                            return 2;
                        }
                        if (socket.failure() != null) {
                            throw e; // the stack has gone (the statistics, as udplisten ends)
                        }
                        // as iputils: this request fails, is counted, and the next ones are still sent
                        err.println("ping: sendmsg: " + e.getMessage());
                        errors++;
                    }
                    transmitted++;
                    nextAt += s.intervalNanos();
                    if (n < s.count()) {
                        receiveUntil(nextAt, false);
                    }
                }
                receiveUntil(System.nanoTime() + finalWait(), true);
            } catch (InterruptedIOException e) {
                Thread.interrupted();
            } catch (IOException e) {
                err.println("ping: " + (socket.failure() != null ? "" : "sendmsg: ") + e.getMessage());
                if (transmitted == 0) {
                    return 2;
                }
            }
            summary(System.nanoTime() - start);
            return received > 0 ? 0 : 1;
        }

        /**
         * How long to wait for the last replies after the last request, as iputils (its man page: -W "affects only
         * timeout in absence of any responses, otherwise ping waits for two RTTs"): twice the longest round trip so
         * far, at least the interval, once anything has come back; else {@code -W}. With {@code -W 0} the reply to
         * the last request was counted as lost, and a lost last reply held the end for the 10 s of {@code -W}.
         */
        private long finalWait() {
            return received > 0 ? Math.max(2 * TimeUnit.MICROSECONDS.toNanos(maxMicros), s.intervalNanos())
                    : s.lingerNanos();
        }

        /**
         * Prints what comes until {@code deadline} (real time), and what has come by then; with {@code untilAllIn},
         * stops once nothing is due. (With {@code -W 0} a reply already in was dropped and counted as lost.)
         */
        private void receiveUntil(long deadline, boolean untilAllIn) throws IOException {
            while (!(untilAllIn && received + errors >= transmitted)) {
                long left = deadline - System.nanoTime();
                EchoSocket.Event e = socket.receive(Math.max(0, left));
                if (e != null) {
                    print(e);
                } else if (left <= 0) {
                    return;
                }
            }
        }

        private void print(EchoSocket.Event e) {
            String from = Ipv4Address.format(e.from());
            int seq = e.sequence();
            if (!e.isReply()) {
                errors++;
                out.println("From " + from + " icmp_seq=" + seq + " " + error(e.errorType(), e.errorCode()));
                return;
            }
            long micros = TimeUnit.NANOSECONDS.toMicros(e.receivedAt() - sentAt[seq]);
            boolean duplicate = answered.get(seq);
            if (duplicate) {
                duplicates++;
            } else {
                answered.set(seq);
                received++;
            }
            minMicros = Math.min(minMicros, micros);
            maxMicros = Math.max(maxMicros, micros);
            sumMicros += micros;
            sumSquares += micros * micros;
            out.println(e.icmpLength() + " bytes from " + from + ": icmp_seq=" + seq + " ttl=" + e.ttl() + " time="
                    + replyTime(micros) + " ms" + (duplicate ? " (DUP!)" : ""));
            if (e.wrongByteAt() >= 0) { // as iputils: a NIC, a driver or a peer that garbles data shows here
                out.println(String.format("wrong data byte #%d should be 0x%x but was 0x%x", e.wrongByteAt(),
                        e.wrongByteAt() & 0xff, e.wrongByte()));
            }
        }

        private void summary(long elapsedNanos) {
            out.println();
            out.println("--- " + s.destination() + " ping statistics ---");
            StringBuilder line = new StringBuilder().append(transmitted).append(" packets transmitted, ")
                    .append(received).append(" received");
            if (duplicates > 0) {
                line.append(", +").append(duplicates).append(" duplicates");
            }
            if (errors > 0) {
                line.append(", +").append(errors).append(" errors");
            }
            if (transmitted > 0) {
                line.append(", ").append(percent((transmitted - received) * 100.0 / transmitted)).append("% packet loss")
                        .append(", time ").append((elapsedNanos + 500_000) / 1_000_000).append("ms");
            }
            out.println(line);
            if (received > 0) {
                long total = received + duplicates;
                long avg = sumMicros / total;
                long mdev = (long) Math.sqrt(Math.max(0, sumSquares / total - avg * avg));
                out.println("rtt min/avg/max/mdev = " + millis(minMicros) + "/" + millis(avg) + "/" + millis(maxMicros)
                        + "/" + millis(mdev) + " ms");
            }
        }
    }

    /** iputils' reply time: three decimals below 1 ms, two below 10, one below 100, none above (rounded). */
    static String replyTime(long micros) {
        if (micros >= 100_000 - 50) {
            return Long.toString((micros + 500) / 1000);
        }
        if (micros >= 10_000 - 5) {
            return (micros + 50) / 1000 + "." + (micros + 50) % 1000 / 100;
        }
        if (micros >= 1000) {
            return (micros + 5) / 1000 + "." + String.format("%02d", (micros + 5) % 1000 / 10);
        }
        return micros / 1000 + "." + String.format("%03d", micros % 1000);
    }

    /** Microseconds as {@code %ld.%03ld} milliseconds. */
    static String millis(long micros) {
        return micros / 1000 + "." + String.format("%03d", micros % 1000);
    }

    /** C's {@code %g} of a float: six significant digits, no trailing zeros (33.3333, 0, 100). */
    static String percent(double value) {
        BigDecimal d = new BigDecimal((float) value).round(new MathContext(6)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    static String error(int type, int code) {
        if (type == Icmp.Type.DESTINATION_UNREACHABLE.value()) {
            return switch (code) {
                case Icmp.NET_UNREACHABLE -> "Destination Net Unreachable";
                case Icmp.HOST_UNREACHABLE -> "Destination Host Unreachable";
                case Icmp.PROTOCOL_UNREACHABLE -> "Destination Protocol Unreachable";
                case Icmp.PORT_UNREACHABLE -> "Destination Port Unreachable";
                case Icmp.FRAGMENTATION_NEEDED -> "Frag needed and DF set";
                default -> "Dest Unreachable, Bad Code: " + code;
            };
        }
        if (type == Icmp.Type.TIME_EXCEEDED.value()) {
            return code == Icmp.TTL_EXCEEDED ? "Time to live exceeded" : "Frag reassembly time exceeded";
        }
        return "Bad ICMP type: " + type;
    }
}
