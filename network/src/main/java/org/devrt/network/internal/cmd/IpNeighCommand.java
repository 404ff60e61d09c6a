package org.devrt.network.internal.cmd;

import java.util.List;

import org.devrt.network.internal.iface.Neighbour;
import org.devrt.network.internal.stack.Stack;
import org.devrt.registry.shell.CommandOutput;

/** {@code ip neigh [show [dev] NAME]}: the ARP caches, as iproute2 prints them. */
public final class IpNeighCommand implements IpObject {
    static final String USAGE = "usage: ip neigh [show [dev] NAME]";

    private final Stack stack;

    public IpNeighCommand(Stack stack) {
        this.stack = stack;
    }

    @Override
    public String run(List<String> args) {
        try {
            String only = IpArgs.showTarget(args, "neigh", USAGE);
            if (IpArgs.HELP.equals(only)) {
                return USAGE;
            }
            if (only != null && stack.interfaces().stream().noneMatch(i -> i.name().equals(only))) {
                return CommandOutput.error("Cannot find device \"" + only + "\""); // iproute2's words
            }
            StringBuilder out = new StringBuilder();
            for (Neighbour n : stack.neighbours()) {
                if (only == null || only.equals(n.interfaceName())) {
                    out.append(n.address()).append(" dev ").append(n.interfaceName());
                    out.append(n.mac() != null ? " lladdr " + n.mac() + " " : "  ").append(n.state()).append('\n');
                }
            }
            return out.toString().stripTrailing();
        } catch (UsageException e) {
            return CommandOutput.error(e.getMessage() + "\n" + USAGE);
        }
    }
}
