package org.devrt.network.internal.cmd;

import java.util.List;

import org.devrt.network.internal.iface.Neighbour;
import org.devrt.network.internal.stack.Stack;
import org.devrt.registry.shell.CommandOutput;

/** {@code arp [-n] [-i NAME]}: the ARP caches, as net-tools' {@code arp -n} prints them (devrt never resolves names). */
public final class ArpCommand {
    static final String USAGE = """
            usage: arp [-n] [-i NAME]
              -n    numeric (always: devrt has no resolver)
              -i    only that interface's entries""";
    static final String HEADER = "Address                  HWtype  HWaddress           Flags Mask            Iface";

    private final Stack stack;

    public ArpCommand(Stack stack) {
        this.stack = stack;
    }

    public String run(List<String> args) {
        try {
            Options o = Options.parse(args, "nv", "i");
            if (o.help) {
                return USAGE;
            }
            if (!o.operands.isEmpty()) {
                throw new UsageException("unexpected " + o.operands.get(0) + " (only listing is supported)");
            }
            String only = o.values.get("i");
            if (only != null && stack.interfaces().stream().noneMatch(i -> i.name().equals(only))) {
                // as ifconfig says of it, not an empty table
                return CommandOutput.error("arp: " + only + ": no such interface");
            }
            StringBuilder out = new StringBuilder(HEADER).append('\n');
            for (Neighbour n : stack.neighbours()) {
                if (only != null && !only.equals(n.interfaceName())) {
                    continue;
                }
                String line = n.mac() != null
                        ? String.format("%-23.23s  %-8.8s%-20.20s%-6.6s%-15.15s %s", n.address(), "ether", n.mac(), "C", "",
                                n.interfaceName())
                        : String.format("%-23.23s  %-8.8s%-20.20s%-6.6s%-15.15s %s", n.address(), "",
                                n.state().equals("FAILED") ? "(failed)" : "(incomplete)", "", "", n.interfaceName());
                out.append(line).append('\n');
            }
            return out.toString().stripTrailing();
        } catch (UsageException e) {
            return CommandOutput.error("arp: " + e.getMessage() + "\n" + USAGE);
        }
    }
}
