package org.devrt.network.internal.cmd;

import java.util.List;

import org.devrt.network.internal.stack.Route;
import org.devrt.network.internal.stack.Stack;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.registry.shell.CommandOutput;

/**
 * {@code ip route [show]}, {@code ip route show cache} and {@code ip route get ADDRESS}, as iproute2 prints them:
 * default routes, then the connected ones ({@code 10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15}); the
 * local routes through {@code lo} are in Linux's local table, not shown; the host routes ICMP redirects gave are
 * shown by {@code show cache} and by {@code get}, as Linux's next-hop exceptions.
 */
public final class IpRouteCommand implements IpObject {
    static final String USAGE = """
            usage: ip route [show]
                   ip route show cache
                   ip route get ADDRESS
            Routes follow the interfaces: a connected route per address, a default route per gateway.""";

    private final Stack stack;

    public IpRouteCommand(Stack stack) {
        this.stack = stack;
    }

    @Override
    public String run(List<String> args) {
        try {
            if (args.isEmpty() || List.of("show", "list", "lst", "sh", "ls").contains(args.get(0)) && args.size() == 1) {
                return show();
            }
            if (args.equals(List.of("show", "cache")) || args.equals(List.of("list", "cache"))) {
                return cache();
            }
            String verb = args.get(0);
            if (verb.equals("help") || verb.equals("--help")) {
                return USAGE;
            }
            if (verb.equals("get")) {
                if (args.size() != 2) {
                    throw new UsageException("ip route get: one address, e.g. ip route get 10.0.2.2");
                }
                return get(Ipv4Address.parse(args.get(1)));
            }
            throw new UsageException("ip route " + String.join(" ", args) + ": not supported");
        } catch (UsageException e) {
            return CommandOutput.error(e.getMessage() + "\n" + USAGE);
        } catch (IllegalArgumentException e) {
            return CommandOutput.error("Error: " + e.getMessage());
        }
    }

    private String show() {
        StringBuilder out = new StringBuilder();
        for (Route r : stack.routes()) {
            out.append(line(r)).append('\n');
        }
        return out.toString().stripTrailing();
    }

    private String cache() {
        StringBuilder out = new StringBuilder();
        for (Route r : stack.redirectedRoutes()) {
            out.append(Formats.ip(r.network())).append(" via ").append(Formats.ip(r.gateway())).append(" dev ")
                    .append(r.via().name()).append("\n    cache <redirected>\n");
        }
        return out.toString().stripTrailing();
    }

    /** A route as {@code ip route} prints it. */
    static String line(Route r) {
        String to = r.prefixLength() == 0 ? "default" : Formats.ip(r.network()) + "/" + r.prefixLength();
        return r.kind() == Route.Kind.GATEWAY
                ? to + " via " + Formats.ip(r.gateway()) + " dev " + r.via().name() + " proto static"
                : to + " dev " + r.via().name() + " proto kernel scope link src " + Formats.ip(r.source());
    }

    private String get(Ipv4Address destination) {
        Route r = stack.routeTo(destination.value());
        if (r == null) {
            return CommandOutput.error("RTNETLINK answers: Network is unreachable");
        }
        int d = destination.value();
        String via = r.gateway() != 0 && !r.via().isBroadcast(d) ? " via " + Formats.ip(r.gateway()) : "";
        String kind = r.kind() == Route.Kind.LOCAL && !Ipv4Address.isLoopback(d) ? "local " : "";
        int source = r.source() != 0 ? r.source() : d;
        return kind + destination + via + " dev " + r.via().name() + " src " + Formats.ip(source)
                + (r.kind() == Route.Kind.REDIRECT ? "\n    cache <redirected>" : "");
    }
}
