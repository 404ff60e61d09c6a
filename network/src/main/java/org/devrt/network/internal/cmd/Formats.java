package org.devrt.network.internal.cmd;

import org.devrt.network.internal.stack.InterfaceInfo;
import org.devrt.network.internal.wire.Ipv4Address;

/** Small pieces of Linux's output formats that several commands share. */
final class Formats {
    private Formats() {
    }

    /** iproute2's flags and state: {@code <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP}. */
    static String linkLine(InterfaceInfo i) {
        String flags;
        String state;
        if (i.loopback()) {
            flags = i.up() ? "LOOPBACK,UP,LOWER_UP" : "LOOPBACK";
            state = i.up() ? "UNKNOWN" : "DOWN";
        } else if (!i.up()) {
            flags = "BROADCAST,MULTICAST";
            state = "DOWN";
        } else {
            flags = i.running() ? "BROADCAST,MULTICAST,UP,LOWER_UP" : "NO-CARRIER,BROADCAST,MULTICAST,UP";
            state = i.running() ? "UP" : "DOWN";
        }
        return i.index() + ": " + i.name() + ": <" + flags + "> mtu " + i.mtu() + " state " + state;
    }

    /** {@code link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff}. */
    static String linkAddressLine(InterfaceInfo i) {
        return (i.loopback() ? "    link/loopback " : "    link/ether ") + i.mac() + " brd "
                + (i.loopback() ? i.mac() : "ff:ff:ff:ff:ff:ff");
    }

    static String ip(int address) {
        return Ipv4Address.format(address);
    }
}
