package org.devrt.network.internal.wire;

/**
 * An interface address with its prefix, as written {@code 10.0.2.15/24}.
 *
 * @param address the host's address
 * @param prefixLength 0 to 32
 */
public record Ipv4Cidr(Ipv4Address address, int prefixLength) {
    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not 0 to 32");
        }
    }

    /** Parses {@code 10.0.2.15/24}; without {@code /n} the prefix is 32. */
    public static Ipv4Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            return new Ipv4Cidr(Ipv4Address.parse(t), 32);
        }
        String prefix = t.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not an address/prefix (want e.g. 10.0.2.15/24): " + text);
        }
        return new Ipv4Cidr(Ipv4Address.parse(t.substring(0, slash)), Integer.parseInt(prefix));
    }

    /** The netmask as an int: /24 is 0xffffff00. */
    public static int netmask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public int netmask() {
        return netmask(prefixLength);
    }

    /** The network's first address (host bits zero). */
    public int network() {
        return address.value() & netmask();
    }

    /** The directed broadcast address (host bits one). */
    public int broadcast() {
        return address.value() | ~netmask();
    }

    /** Whether {@code a} is in this prefix. */
    public boolean contains(int a) {
        return ((a ^ address.value()) & netmask()) == 0;
    }

    // equals and hashCode are written out: a record's own link through ObjectMethods' method-handle bootstrap on
    // first use, which spins dozens of classes, and an interface's address is compared while the runtime boots.
    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Cidr c && c.address.value() == address.value() && c.prefixLength == prefixLength;
    }

    @Override
    public int hashCode() {
        return address.value() * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
