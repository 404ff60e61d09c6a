package org.devrt.network.internal.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address as a value. The data path carries addresses as plain {@code int}s (network order, the first
 * octet in the top byte); this type is for configuration, the shell and the value types, and its static helpers
 * classify an {@code int} without allocating.
 *
 * @param value the 32 bits, first octet in the top byte
 */
public record Ipv4Address(int value) implements Comparable<Ipv4Address> {
    /** 0.0.0.0: unspecified, and "any" when binding. */
    public static final Ipv4Address ANY = new Ipv4Address(0);
    /** 255.255.255.255: limited broadcast. */
    public static final Ipv4Address BROADCAST = new Ipv4Address(-1);

    /** Parses dotted-quad text, four decimal octets: {@code 10.0.2.15}. */
    public static Ipv4Address parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address (want four numbers like 10.0.2.15): " + text);
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not an IPv4 address, bad number '" + part + "': " + text);
            }
            if (part.length() > 1 && part.charAt(0) == '0') { // 010: octal to inet_aton, decimal to others
                throw new IllegalArgumentException("not an IPv4 address, '" + part + "' has a leading zero: " + text);
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address, " + octet + " is above 255: " + text);
            }
            value = value << 8 | octet;
        }
        return new Ipv4Address(value);
    }

    /** The address of a java.net one; IPv6 addresses are refused. */
    public static Ipv4Address of(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("not an IPv4 address: " + address.getHostAddress());
        }
        byte[] b = address.getAddress();
        return new Ipv4Address((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff);
    }

    /** This address as a java.net one (no name lookup). */
    public Inet4Address toInetAddress() {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }

    public boolean isUnspecified() {
        return value == 0;
    }

    /** 224.0.0.0/4. */
    public static boolean isMulticast(int address) {
        return (address >>> 28) == 0xe;
    }

    /** 127.0.0.0/8. */
    public static boolean isLoopback(int address) {
        return (address >>> 24) == 127;
    }

    /** 0.0.0.0/8, "this host on this network" (RFC 1122 3.2.1.3 (a), (b)): a source only while a host starts up. */
    public static boolean isThisNetwork(int address) {
        return (address >>> 24) == 0;
    }

    /**
     * Whether {@code address} may be the source of a datagram from one host (RFC 1122 3.2.1.3 and 3.2.2): not
     * 0.0.0.0, broadcast, multicast or class E.
     */
    public static boolean isUnicastSource(int address) {
        return address != 0 && (address >>> 28) < 0xe;
    }

    /** Dotted-quad text of an {@code int} address. */
    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return format(value);
    }
}
