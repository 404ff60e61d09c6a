package org.devrt.network.internal.stack;

import java.util.ArrayList;
import java.util.Arrays;
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
 * lookups allocate nothing. Host routes that ICMP redirects gave are looked at first, in a small array (no boxed
 * keys on the path of every packet).
 */
final class Routes {
    /** How long a redirect's host route lasts (Linux's ip_rt_gc_timeout, 300 s). */
    static final long REDIRECT_NANOS = TimeUnit.SECONDS.toNanos(300);
    /** The most redirect routes kept: a flood of redirects does not grow the table without end. */
    static final int MAX_REDIRECTS = 256;

    private final LongSupplier clock;
    private Route[] routes = new Route[0];
    /** Host routes from ICMP redirects, oldest first, each with when it expires; {@code redirectCount} of them. */
    private final Redirect[] redirects = new Redirect[MAX_REDIRECTS];
    private int redirectCount;

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
        Arrays.fill(redirects, null); // learnt through routes that may be gone (Linux flushes its exceptions then)
        redirectCount = 0;
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
        int at = indexOf(destination);
        if (at >= 0) {
            removeAt(at);
        } else if (redirectCount == MAX_REDIRECTS) {
            removeAt(0); // the oldest
        }
        redirects[redirectCount++] = new Redirect(new Route(destination, 32, gateway, arrivedOn, arrivedOn.address(),
                Kind.REDIRECT), clock.getAsLong() + REDIRECT_NANOS);
        return true;
    }

    private int indexOf(int destination) {
        for (int i = 0; i < redirectCount; i++) {
            if (redirects[i].route().network() == destination) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int i) {
        System.arraycopy(redirects, i + 1, redirects, i, redirectCount - i - 1);
        redirects[--redirectCount] = null;
    }

    /** The host routes redirects gave that have not expired. */
    List<Route> redirected() {
        expireRedirects();
        List<Route> out = new ArrayList<>();
        for (int i = 0; i < redirectCount; i++) {
            out.add(redirects[i].route());
        }
        return out;
    }

    private void expireRedirects() {
        long now = clock.getAsLong();
        for (int i = redirectCount - 1; i >= 0; i--) {
            if (now - redirects[i].expiresAt() > 0) {
                removeAt(i);
            }
        }
    }

    /** The route to {@code destination}, or null: a redirect's host route first, unless it has expired. */
    Route lookup(int destination) {
        if (redirectCount > 0) {
            int at = indexOf(destination);
            if (at >= 0) {
                if (clock.getAsLong() - redirects[at].expiresAt() <= 0) {
                    return redirects[at].route();
                }
                removeAt(at);
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
