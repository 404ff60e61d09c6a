package org.devrt.network.internal.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.devrt.network.internal.iface.Interface;
import org.devrt.network.internal.stack.Route.Kind;
import org.devrt.network.internal.wire.Ipv4Cidr;

/**
 * The routing table, derived from the interfaces: for each one up with an address, a local route to that address
 * (through the loopback, as Linux's local table), a connected route to its network and, when it has a gateway, a
 * default route. Longest prefix wins; among equals, the interface that came first. Rebuilt on every change;
 * lookups allocate nothing.
 */
final class Routes {
    /** How long a redirect's host route lasts (Linux's ip_rt_gc_timeout, 300 s). */
    static final long REDIRECT_NANOS = TimeUnit.SECONDS.toNanos(300);
    /** The most redirect routes kept: a flood of redirects does not grow the table without end. */
    static final int MAX_REDIRECTS = 256;

    private final LongSupplier clock;
    private Route[] routes = new Route[0];
    /** Host routes from ICMP redirects, by destination, each with when it expires; the oldest goes first. */
    private final LinkedHashMap<Integer, Redirect> redirects = new LinkedHashMap<>();

    private record Redirect(Route route, long expiresAt) {
    }

    Routes(LongSupplier clock) {
        this.clock = clock;
    }

    /** Rebuilds the table from the interfaces (in their order); {@code loopback} carries the local routes. */
    void rebuild(List<Interface> interfaces, Interface loopback) {
        List<Route> local = new ArrayList<>();
        List<Route> other = new ArrayList<>();
        for (Interface i : interfaces) {
            Ipv4Cidr c = i.cidr();
            if (!i.isUp() || c == null) {
                continue;
            }
            if (i == loopback) {
                local.add(new Route(c.network(), c.prefixLength(), 0, i, 0, Kind.LOCAL));
                continue;
            }
            if (loopback != null && loopback.isUp()) {
                local.add(new Route(c.address().value(), 32, 0, loopback, 0, Kind.LOCAL));
            }
            other.add(new Route(c.network(), c.prefixLength(), 0, i, c.address().value(), Kind.CONNECTED));
            if (i.gateway() != null && c.contains(i.gateway().value())) {
                other.add(new Route(0, 0, i.gateway().value(), i, c.address().value(), Kind.GATEWAY));
            }
        }
        local.addAll(other);
        routes = local.toArray(new Route[0]);
        redirects.clear(); // learnt through routes that may be gone (Linux flushes its exceptions on a change)
    }

    /**
     * Takes a redirect: {@code destination} through {@code gateway} from now on, for {@link #REDIRECT_NANOS}, if it
     * came from the current first hop to {@code destination} and the new gateway is on the link it came on (RFC 1122
     * 3.2.2.2, Linux's secure_redirects). Returns whether it was taken.
     */
    boolean redirect(int destination, int gateway, int from, Interface arrivedOn) {
        Route current = lookup(destination);
        if (current == null || current.via() != arrivedOn || current.nextHop(destination) != from
                || current.kind() == Kind.LOCAL || gateway == from || gateway == arrivedOn.address()
                || arrivedOn.cidr() == null || !arrivedOn.cidr().contains(gateway) || arrivedOn.isBroadcast(gateway)) {
            return false;
        }
        redirects.remove(destination);
        if (redirects.size() >= MAX_REDIRECTS) {
            redirects.remove(redirects.keySet().iterator().next());
        }
        redirects.put(destination, new Redirect(new Route(destination, 32, gateway, arrivedOn,
                arrivedOn.address(), Kind.REDIRECT), clock.getAsLong() + REDIRECT_NANOS));
        return true;
    }

    /** The host routes redirects gave that have not expired. */
    List<Route> redirected() {
        expireRedirects();
        List<Route> out = new ArrayList<>();
        for (Redirect r : redirects.values()) {
            out.add(r.route());
        }
        return out;
    }

    private void expireRedirects() {
        long now = clock.getAsLong();
        redirects.values().removeIf(r -> now - r.expiresAt() > 0);
    }

    /** The route to {@code destination}, or null: a redirect's host route first, unless it has expired. */
    Route lookup(int destination) {
        if (!redirects.isEmpty()) {
            Redirect r = redirects.get(destination);
            if (r != null) {
                if (clock.getAsLong() - r.expiresAt() <= 0) {
                    return r.route();
                }
                redirects.remove(destination);
            }
        }
        Route best = null;
        for (Route r : routes) {
            if (r.matches(destination) && (best == null || r.prefixLength() > best.prefixLength())) {
                best = r;
            }
        }
        return best;
    }

    /**
     * Where 255.255.255.255 goes: out of the interface whose address is {@code source}, when it is one's (as Linux
     * sends a limited broadcast from a bound address through that address's device); else out of the default
     * route's interface, as Linux's lookup; else out of the first interface with an address (Linux would say the
     * network is unreachable). It went out of the first interface, whatever the socket was bound to.
     */
    Route forLimitedBroadcast(int source) {
        Route first = null;
        Route viaDefault = null;
        for (Route r : routes) {
            if (r.kind() == Kind.CONNECTED) {
                if (source != 0 && r.source() == source) {
                    return r;
                }
                first = first == null ? r : first;
            } else if (r.kind() == Kind.GATEWAY && viaDefault == null) {
                viaDefault = r;
            }
        }
        if (viaDefault != null) {
            for (Route r : routes) {
                if (r.kind() == Kind.CONNECTED && r.via() == viaDefault.via()) {
                    return r;
                }
            }
        }
        return first;
    }

    /** The routes {@code ip route} shows (the local ones are not). */
    List<Route> shown() {
        List<Route> shown = new ArrayList<>();
        for (Route r : routes) {
            if (r.kind() == Kind.GATEWAY) {
                shown.add(r);
            }
        }
        for (Route r : routes) {
            if (r.kind() == Kind.CONNECTED) {
                shown.add(r);
            }
        }
        return shown;
    }
}
