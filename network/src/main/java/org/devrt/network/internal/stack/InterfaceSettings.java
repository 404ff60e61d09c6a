package org.devrt.network.internal.stack;

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
        MacAddress m = MacAddress.parse(mac);
        Ipv4Cidr cidr = Ipv4Cidr.parse(address);
        Ipv4Address gw = gateway == null || gateway.isBlank() ? null : Ipv4Address.parse(gateway);
        if (gw != null && !cidr.contains(gw.value())) {
            throw new IllegalArgumentException("gateway " + gw + " is not in " + cidr + ": it could not be reached");
        }
        String n = name == null || name.isBlank() ? null : name.trim();
        if (n != null && !NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("name '" + n + "' is not eth0, eth1, ...");
        }
        return new InterfaceSettings(m, cidr, gw, n);
    }

    /** The number of the name asked for, or -1. */
    int number() {
        return name == null ? -1 : Integer.parseInt(name.substring(3));
    }
}
