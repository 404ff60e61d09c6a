package org.devrt.network.internal.cmd;

import java.util.List;

import org.devrt.device.NetworkCounters;
import org.devrt.network.internal.stack.InterfaceInfo;
import org.devrt.network.internal.stack.Stack;
import org.devrt.network.internal.wire.Ipv4Cidr;
import org.devrt.registry.shell.CommandOutput;

/** {@code ifconfig [-a] [NAME]}, as net-tools 2.x prints it. */
public final class IfconfigCommand {
    static final String USAGE = """
            usage: ifconfig [-a] [NAME]
              -a    also the interfaces that are down""";
    private static final int UP = 0x1;
    private static final int BROADCAST = 0x2;
    private static final int LOOPBACK = 0x8;
    private static final int RUNNING = 0x40;
    private static final int MULTICAST = 0x1000;

    private final Stack stack;

    public IfconfigCommand(Stack stack) {
        this.stack = stack;
    }

    public String run(List<String> args) {
        try {
            Options o = Options.parse(args, "a", "");
            if (o.help) {
                return USAGE;
            }
            if (o.operands.size() > 1) {
                throw new UsageException("'" + String.join(" ", o.operands) + "': ifconfig only shows interfaces here;"
                        + " their addresses and state come from configuration (conf/devrt.network.interface-*.cfg)");
            }
            String only = o.operands.isEmpty() ? null : o.operands.get(0);
            StringBuilder out = new StringBuilder();
            for (InterfaceInfo i : stack.interfaces()) {
                if (only != null ? only.equals(i.name()) : i.up() || o.has('a')) {
                    out.append(block(i)).append('\n');
                }
            }
            if (only != null && out.length() == 0) {
                return CommandOutput.error(only + ": error fetching interface information: Device not found");
            }
            return out.toString().stripTrailing();
        } catch (UsageException e) {
            return CommandOutput.error("ifconfig: " + e.getMessage() + "\n" + USAGE);
        }
    }

    static String block(InterfaceInfo i) {
        int flags = (i.up() ? UP : 0) | (i.running() ? RUNNING : 0)
                | (i.loopback() ? LOOPBACK : BROADCAST | MULTICAST);
        StringBuilder b = new StringBuilder();
        b.append(i.name()).append(": flags=").append(flags).append('<').append(flagNames(flags)).append(">  mtu ")
                .append(i.mtu()).append('\n');
        Ipv4Cidr c = i.cidr();
        if (c != null) {
            b.append("        inet ").append(c.address()).append("  netmask ").append(Formats.ip(c.netmask()));
            if (!i.loopback()) {
                b.append("  broadcast ").append(Formats.ip(c.broadcast()));
            }
            b.append('\n');
        }
        b.append(i.loopback() ? "        loop  (Local Loopback)\n" : "        ether " + i.mac() + "  (Ethernet)\n");
        NetworkCounters n = i.counters();
        b.append("        RX packets ").append(n.rxPackets()).append("  bytes ").append(n.rxBytes())
                .append(" (").append(scaled(n.rxBytes())).append(")\n");
        b.append("        RX errors ").append(n.rxErrors()).append("  dropped ").append(n.rxDropped())
                .append("  overruns 0  frame 0\n");
        b.append("        TX packets ").append(n.txPackets()).append("  bytes ").append(n.txBytes())
                .append(" (").append(scaled(n.txBytes())).append(")\n");
        b.append("        TX errors ").append(n.txErrors()).append("  dropped ").append(n.txDropped())
                .append(" overruns 0  carrier 0  collisions 0\n");
        return b.toString();
    }

    private static String flagNames(int flags) {
        StringBuilder b = new StringBuilder();
        String[] names = {"UP", "BROADCAST", "LOOPBACK", "RUNNING", "MULTICAST"};
        int[] bits = {UP, BROADCAST, LOOPBACK, RUNNING, MULTICAST};
        for (int k = 0; k < bits.length; k++) {
            if ((flags & bits[k]) != 0) {
                b.append(b.length() == 0 ? "" : ",").append(names[k]);
            }
        }
        return b.toString();
    }

    /** net-tools' print_bytes_scaled: powers of 1000, one truncated decimal: 9284318 is "9.2 MB". */
    static String scaled(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        long whole = bytes;
        long tenth = 0;
        int unit = 0;
        while (whole >= 1000 && unit < units.length - 1) {
            tenth = whole % 1000 * 10 / 1000;
            whole /= 1000;
            unit++;
        }
        return whole + "." + tenth + " " + units[unit];
    }
}
