package org.devrt.network.internal.shell;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;

/** {@code ip link} lines as iproute2 prints them. */
final class LinkFormat {
    private static final MacAddress ZERO = MacAddress.of(new byte[6]);

    private LinkFormat() {
    }

    /**
     * {@code 2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP} and its {@code link/ether} line. Without
     * carrier Linux prints {@code NO-CARRIER} and state {@code DOWN}; administratively down, no {@code UP}.
     */
    static String link(int index, String name, boolean up, boolean carrier, int mtu, MacAddress mac) {
        String flags = !up ? "BROADCAST,MULTICAST"
                : carrier ? "BROADCAST,MULTICAST,UP,LOWER_UP" : "NO-CARRIER,BROADCAST,MULTICAST,UP";
        return index + ": " + name + ": <" + flags + "> mtu " + mtu + " state " + (up && carrier ? "UP" : "DOWN")
                + "\n    link/ether " + mac + " brd " + MacAddress.BROADCAST + "\n";
    }

    /** The loopback, as Linux prints {@code lo}: its state is UNKNOWN (it has no carrier to know). */
    static String loopback(int index, String name, boolean up, int mtu) {
        return index + ": " + name + ": <" + (up ? "LOOPBACK,UP,LOWER_UP" : "LOOPBACK") + "> mtu " + mtu + " state "
                + (up ? "UNKNOWN" : "DOWN") + "\n    link/loopback " + ZERO + " brd " + ZERO + "\n";
    }

    /**
     * The {@code ip -s link} counter block, columns right-aligned under their headings as iproute2 5.x does; only
     * the columns a {@link NetworkCounters} has.
     */
    static String stats(NetworkCounters c) {
        String[] headers = {"bytes", "packets", "errors", "dropped"};
        long[] rx = {c.rxBytes(), c.rxPackets(), c.rxErrors(), c.rxDropped()};
        long[] tx = {c.txBytes(), c.txPackets(), c.txErrors(), c.txDropped()};
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = Math.max(headers[i].length(),
                    Math.max(Long.toString(rx[i]).length(), Long.toString(tx[i]).length()));
        }
        widths[0] = Math.max(widths[0], 6);
        return block("RX:", headers, rx, widths) + block("TX:", headers, tx, widths);
    }

    private static String block(String label, String[] headers, long[] values, int[] widths) {
        StringBuilder head = new StringBuilder("    ").append(label);
        StringBuilder row = new StringBuilder("    ").append(" ".repeat(label.length()));
        for (int i = 0; i < headers.length; i++) {
            head.append(' ').append(pad(headers[i], widths[i]));
            row.append(' ').append(pad(Long.toString(values[i]), widths[i]));
        }
        return head.append('\n').append(row).append('\n').toString();
    }

    private static String pad(String text, int width) {
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }
}
