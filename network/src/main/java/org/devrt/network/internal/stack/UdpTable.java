package org.devrt.network.internal.stack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * The bound UDP sockets, indexed by port (an array of 65536 chains: lookups allocate nothing). A socket bound to the
 * wildcard conflicts with every socket on its port, one bound to an address with those on that address and the
 * wildcard. Guarded by the stack's lock.
 */
final class UdpTable {
    /** Linux's default ephemeral range (net.ipv4.ip_local_port_range). */
    static final int EPHEMERAL_FIRST = 32768;
    static final int EPHEMERAL_LAST = 60999;

    private final UdpSocketImpl[] byPort = new UdpSocketImpl[65536];
    private int count;

    /**
     * The port to bind: {@code port} if free on {@code address}, or for port 0 a free ephemeral one from a random
     * point of the range on (RFC 6056's simple port randomization; Linux starts its search at a random port too):
     * counted up one by one, the next query's port was easy to guess for an attacker forging its answer.
     */
    int choosePort(int address, int port) throws IOException {
        if (port != 0) {
            if (!isFree(address, port)) {
                throw new IOException("Address already in use");
            }
            return port;
        }
        int range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        int offset = Unpredictable.nextInt(range);
        for (int tries = 0; tries < range; tries++) {
            int candidate = EPHEMERAL_FIRST + (offset + tries) % range;
            if (isFree(address, candidate)) {
                return candidate;
            }
        }
        throw new IOException("Address already in use: no free port from " + EPHEMERAL_FIRST + " to " + EPHEMERAL_LAST);
    }

    void add(UdpSocketImpl s) {
        s.next = byPort[s.port];
        byPort[s.port] = s;
        count++;
    }

    void remove(UdpSocketImpl s) {
        UdpSocketImpl prev = null;
        for (UdpSocketImpl c = byPort[s.port]; c != null; prev = c, c = c.next) {
            if (c == s) {
                if (prev == null) {
                    byPort[s.port] = c.next;
                } else {
                    prev.next = c.next;
                }
                count--;
                return;
            }
        }
    }

    /** The socket for a datagram to {@code address:port}: one bound to that address, else a wildcard one. */
    UdpSocketImpl find(int address, int port) {
        UdpSocketImpl wildcard = null;
        for (UdpSocketImpl s = byPort[port]; s != null; s = s.next) {
            if (s.address == address) {
                return s;
            }
            if (s.address == 0) {
                wildcard = s;
            }
        }
        return wildcard;
    }

    /** Every bound socket, by port. */
    List<UdpSocketImpl> all() {
        List<UdpSocketImpl> all = new ArrayList<>(count);
        for (UdpSocketImpl chain : byPort) {
            for (UdpSocketImpl s = chain; s != null; s = s.next) {
                all.add(s);
            }
        }
        return all;
    }

    /** Fails and unbinds the sockets bound to an address that {@code assigned} says no interface has. */
    void failUnassigned(IntPredicate assigned, String message) {
        fail(s -> !assigned.test(s.address), message);
    }

    /** Fails and unbinds every socket: the stack is going away. */
    void failAll(String message) {
        fail(s -> true, message);
    }

    private void fail(Predicate<UdpSocketImpl> which, String message) {
        for (UdpSocketImpl s : all()) {
            if (which.test(s)) {
                s.fail(message);
                remove(s);
            }
        }
    }

    private boolean isFree(int address, int port) {
        for (UdpSocketImpl s = byPort[port]; s != null; s = s.next) {
            if (s.address == 0 || address == 0 || s.address == address) {
                return false;
            }
        }
        return true;
    }
}
