package org.devrt.network.internal.cmd;

import java.util.List;

import org.devrt.network.internal.stack.InterfaceInfo;
import org.devrt.network.internal.stack.Stack;
import org.devrt.network.internal.wire.Ipv4Cidr;
import org.devrt.registry.shell.CommandOutput;

/** {@code ip addr [show [dev] NAME]}, as iproute2 prints it. */
public final class IpAddrCommand implements IpObject {
    static final String USAGE = """
            usage: ip addr [show [dev] NAME]
            Addresses come from configurations of factory PID devrt.network.interface, keyed by MAC
            (e.g. conf/devrt.network.interface-eth0.cfg: mac, address = 10.0.2.15/24, gateway).""";

    private final Stack stack;

    public IpAddrCommand(Stack stack) {
        this.stack = stack;
    }

    @Override
    public String run(List<String> args) {
        try {
            return show(IpArgs.showTarget(args, "addr", USAGE));
        } catch (UsageException e) {
            return CommandOutput.error(e.getMessage() + "\n" + USAGE);
        }
    }

    private String show(String only) {
        if (IpArgs.HELP.equals(only)) {
            return USAGE;
        }
        StringBuilder out = new StringBuilder();
        for (InterfaceInfo i : stack.interfaces()) {
            if (only != null && !only.equals(i.name())) {
                continue;
            }
            out.append(Formats.linkLine(i)).append('\n').append(Formats.linkAddressLine(i)).append('\n');
            Ipv4Cidr c = i.cidr();
            if (c != null) {
                out.append("    inet ").append(c);
                if (!i.loopback() && c.prefixLength() < 31) {
                    out.append(" brd ").append(Formats.ip(c.broadcast()));
                }
                out.append(" scope ").append(i.loopback() ? "host" : "global").append(' ').append(i.name()).append('\n');
                out.append("       valid_lft forever preferred_lft forever\n");
            }
        }
        if (only != null && out.length() == 0) {
            return CommandOutput.error("Device \"" + only + "\" does not exist.");
        }
        return out.toString().stripTrailing();
    }
}
