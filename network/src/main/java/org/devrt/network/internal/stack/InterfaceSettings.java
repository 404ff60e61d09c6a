package org.devrt.network.internal.stack;

import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;

/**
 * The IPv4 configuration of the interface over the NIC with a given MAC, from a configuration of factory PID
 * {@link #FACTORY_PID}.
 *
 * @param mac which NIC
 * @param cidr its address and prefix
 * @param gateway the default gateway through it, or null
 * @param name the interface name it asks for ({@code eth<n>}), or null for the lowest free one
 */
public record InterfaceSettings(MacAddress mac, Ipv4Cidr cidr, Ipv4Address gateway, String name) {
    public static final String FACTORY_PID = "devrt.network.interface";
    private static final Pattern NAME = Pattern.compile("eth(0|[1-9]\\d{0,3})");

    /** Reads the text of a configuration without a name; an IllegalArgumentException names what is wrong. */
    public static InterfaceSettings parse(String mac, String address, String gateway) {
        return parse(mac, address, gateway, "");
    }

    /** Reads the text of a configuration; an IllegalArgumentException names what is wrong. */
    public static InterfaceSettings parse(String mac, String address, String gateway, String name) {
        if (mac == null || mac.isBlank()) {
            throw new IllegalArgumentException("no 'mac' property (e.g. mac = 52:54:00:12:34:56)");
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("no 'address' property (e.g. address = 10.0.2.15/24)");
        }
        MacAddress m = property("mac", () -> MacAddress.parse(mac));
        if (!address.contains("/")) {
            property("address", () -> Ipv4Address.parse(address)); // 'abc' is no address, before one without a prefix
            throw new IllegalArgumentException("address " + address.trim() + " has no prefix length (e.g. "
                    + address.trim() + "/24)");
        }
        Ipv4Cidr cidr = property("address", () -> Ipv4Cidr.parse(address));
        if (cidr.prefixLength() == 0) {
            throw new IllegalArgumentException("address " + cidr + ": a prefix length of 0 puts every address on"
                    + " this link (e.g. " + cidr.address() + "/24)");
        }
        String unusable = unusable(cidr.address().value(), cidr);
        if (unusable != null) {
            throw new IllegalArgumentException("address " + cidr + " is " + unusable + ", not an interface's address");
        }
        Ipv4Address gw = gateway == null || gateway.isBlank() ? null
                : property("gateway", () -> Ipv4Address.parse(gateway));
        if (gw != null && !cidr.contains(gw.value())) {
            throw new IllegalArgumentException("gateway " + gw + " is not in " + cidr + ": it could not be reached");
        }
        if (gw != null && gw.equals(cidr.address())) {
            throw new IllegalArgumentException("gateway " + gw + " is this interface's own address");
        }
        String unusableGateway = gw == null ? null : unusable(gw.value(), cidr);
        if (unusableGateway != null) {
            throw new IllegalArgumentException("gateway " + gw + " is " + unusableGateway + ", not a router's address");
        }
        String n = name == null || name.isBlank() ? null : name.trim();
        if (n != null && !NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("name '" + n + "' is not eth0, eth1, ...");
        }
        return new InterfaceSettings(m, cidr, gw, n);
    }

    /**
     * {@code parse}'s value, or its error prefixed with the property's name: "gateway = 10.0.2." was refused as "not an
     * IPv4 address, bad number '': 10.0.2.", naming neither the property nor the file's text.
     */
    private static <T> T property(String name, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why {@code a} cannot be a host's address on {@code net} (an address of 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4 or
     * 240.0.0.0/4, or the network's own or broadcast address below /31), or null if it can.
     */
    static String unusable(int a, Ipv4Cidr net) {
        int first = a >>> 24;
        if (first == 0) {
            return "in 0.0.0.0/8 (\"this network\", RFC 1122)";
        }
        if (first == 127) {
            return "in 127.0.0.0/8, the loopback network (lo's)";
        }
        if (first >= 224 && first < 240) {
            return "a multicast address (224.0.0.0/4)";
        }
        if (a == -1) {
            return "the limited broadcast address";
        }
        if (first >= 240) {
            return "in 240.0.0.0/4, reserved";
        }
        if (net.prefixLength() < 31 && a == net.network()) {
            return "the network address of " + Ipv4Address.format(net.network()) + "/" + net.prefixLength();
        }
        if (net.prefixLength() < 31 && a == net.broadcast()) {
            return "the broadcast address of " + Ipv4Address.format(net.network()) + "/" + net.prefixLength();
        }
        return null;
    }

    /** "52:54:00:12:34:56 10.0.2.15/24 via 10.0.2.2 as eth0", as the log says it. */
    @Override
    public String toString() {
        return mac + " " + cidr + (gateway == null ? "" : " via " + gateway) + (name == null ? "" : " as " + name);
    }

    /** The number of the name asked for, or -1. */
    int number() {
        return name == null ? -1 : Integer.parseInt(name.substring(3));
    }
}
