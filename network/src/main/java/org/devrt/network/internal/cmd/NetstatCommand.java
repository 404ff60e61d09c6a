package org.devrt.network.internal.cmd;

import java.util.List;
import java.util.Map;

import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.stack.Stack;
import org.devrt.network.internal.stack.UdpSocketInfo;
import org.devrt.registry.shell.CommandOutput;

/**
 * {@code netstat -anu} for the UDP sockets, as net-tools prints it, and {@code netstat -s}: the stack's counters
 * (what it dropped, and why) by protocol.
 */
public final class NetstatCommand {
    static final String USAGE = """
            usage: netstat [-a] [-n] [-u] | -s
              -a    all sockets (UDP sockets here are all unconnected: without -a none are shown)
              -n    numeric (always)     -u    UDP (the only protocol)
              -s    statistics: what the stack counted and dropped, by protocol""";
    static final String HEADER = "Proto Recv-Q Send-Q Local Address           Foreign Address         State";

    private final Stack stack;

    public NetstatCommand(Stack stack) {
        this.stack = stack;
    }

    public String run(List<String> args) {
        try {
            Options o = Options.parse(args, "anus", "");
            if (o.help) {
                return USAGE;
            }
            if (!o.operands.isEmpty()) {
                throw new UsageException("unexpected " + o.operands.get(0));
            }
            return o.has('s') ? statistics() : sockets(o.has('a'));
        } catch (UsageException e) {
            return CommandOutput.error("netstat: " + e.getMessage() + "\n" + USAGE);
        }
    }

    private String sockets(boolean all) {
        StringBuilder out = new StringBuilder("Active Internet connections (" + (all ? "servers and established" : "w/o servers")
                + ")\n").append(HEADER);
        if (all) {
            for (UdpSocketInfo s : stack.udpSockets()) {
                String line = String.format("%-4s  %6d %6d %-23s %-23s %-11s", "udp", s.receiveQueueBytes(), 0,
                        s.address() + ":" + s.port(), "0.0.0.0:*", "");
                out.append('\n').append(line.stripTrailing());
            }
        }
        return out.toString();
    }

    private String statistics() {
        Map<Counter, Long> counters = stack.counters();
        StringBuilder out = new StringBuilder();
        String section = null;
        for (Map.Entry<Counter, Long> e : counters.entrySet()) {
            String s = section(e.getKey());
            if (!s.equals(section)) {
                out.append(s).append(":\n");
                section = s;
            }
            out.append("    ").append(e.getValue()).append(' ').append(e.getKey().description()).append('\n');
        }
        return counters.isEmpty() ? "nothing counted yet" : out.toString().stripTrailing();
    }

    private static String section(Counter c) {
        String n = c.name();
        return n.startsWith("FRAME") ? "Link" : n.startsWith("ARP") ? "Arp" : n.startsWith("IPV4") || n.startsWith("FRAGMENT")
                ? "Ip" : n.startsWith("ICMP") ? "Icmp" : n.startsWith("UDP") ? "Udp" : "Output";
    }
}
