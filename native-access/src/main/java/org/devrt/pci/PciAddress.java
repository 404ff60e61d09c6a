package org.devrt.pci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI function's address, {@code domain:bus:device.function}, printed as Linux prints it:
 * {@code 0000:00:1f.2}.
 */
public record PciAddress(int domain, int bus, int device, int function) implements Comparable<PciAddress> {
    private static final Pattern FORM = Pattern.compile(
            "(?:([0-9a-fA-F]{1,8}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])");

    public PciAddress {
        check("domain", domain, Integer.MAX_VALUE); // Linux numbers VMD domains from 0x10000
        check("bus", bus, 0xff);
        check("device", device, 31);
        check("function", function, 7);
    }

    private static void check(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("PCI " + what + " " + (value < 0 ? "" + value : "0x"
                    + Integer.toHexString(value)) + " is outside 0x0..0x" + Integer.toHexString(max));
        }
    }

    /** Parses {@code 0000:00:1f.2} or, with domain 0, {@code 00:1f.2}. */
    public static PciAddress parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PCI address (want dddd:bb:dd.f, e.g. 0000:00:1f.2): " + text);
        }
        long domain = m.group(1) == null ? 0 : Long.parseLong(m.group(1), 16);
        if (domain > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("PCI domain " + m.group(1) + " is too large: " + text);
        }
        try {
            return new PciAddress((int) domain, Integer.parseInt(m.group(2), 16), Integer.parseInt(m.group(3), 16),
                    Integer.parseInt(m.group(4)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(text.trim() + ": " + e.getMessage(), e);
        }
    }

    /** {@code bb:dd.f}, as {@code lspci} prints addresses in domain 0. */
    public String toShortString() {
        return slot(new StringBuilder(7)).toString();
    }

    @Override
    public String toString() {
        return slot(hex(new StringBuilder(12), domain, 4).append(':')).toString();
    }

    /** Appends {@code bb:dd.f}. By hand rather than String.format: device ids are made of addresses everywhere. */
    private StringBuilder slot(StringBuilder out) {
        return hex(hex(out, bus, 2).append(':'), device, 2).append('.').append(Integer.toHexString(function));
    }

    /** Appends {@code value} in lower-case hex, at least {@code digits} long, as {@code %0<digits>x}. */
    private static StringBuilder hex(StringBuilder out, int value, int digits) {
        String text = Integer.toHexString(value);
        for (int i = text.length(); i < digits; i++) {
            out.append('0');
        }
        return out.append(text);
    }

    @Override
    public int compareTo(PciAddress o) {
        return Long.compare(ordinal(), o.ordinal());
    }

    private long ordinal() {
        return ((long) domain << 16) | (bus << 8) | (device << 3) | function; // domain < 2^31: no overlap
    }
}
