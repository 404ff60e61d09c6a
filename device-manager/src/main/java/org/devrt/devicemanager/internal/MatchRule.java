package org.devrt.devicemanager.internal;

import static org.devrt.device.DriverNamespace.CLASS;
import static org.devrt.device.DriverNamespace.DEVICE;
import static org.devrt.device.DriverNamespace.PROG_IF;
import static org.devrt.device.DriverNamespace.SUBCLASS;
import static org.devrt.device.DriverNamespace.SUBSYSTEM;
import static org.devrt.device.DriverNamespace.SUBSYSTEM_VENDOR;
import static org.devrt.device.DriverNamespace.VENDOR;

import java.util.HexFormat;
import java.util.Map;

import org.devrt.device.DriverNamespace;
import org.devrt.pci.PciFunction;

/**
 * One {@code devrt.driver} capability: a driver id and the PCI attributes it must match. A rule has one of five
 * shapes, which fix its score on a scale like the OSGi USB device category's:
 *
 * <pre>
 * 5  vendor + device + subsystem-vendor + subsystem
 * 4  vendor + device
 * 3  class + subclass + prog-if
 * 2  class + subclass
 * 1  class
 * </pre>
 *
 * A function matches a rule when every attribute the rule has equals the function's; its score is the rule's.
 */
record MatchRule(String driverId, Integer vendor, Integer device, Integer subsystemVendor, Integer subsystem,
        Integer baseClass, Integer subclass, Integer progIf) {

    static final int EXACT_IDS_WITH_SUBSYSTEM = 5;
    static final int EXACT_IDS = 4;
    static final int CLASS_SUBCLASS_PROG_IF = 3;
    static final int CLASS_SUBCLASS = 2;
    static final int CLASS_ONLY = 1;
    private static final HexFormat HEX = HexFormat.of();

    /**
     * Reads a rule from a capability's attributes.
     *
     * @throws IllegalArgumentException naming the problem when the attributes are not one of the five shapes
     */
    static MatchRule fromAttributes(Map<String, Object> attrs) {
        Object id = attrs.get(DriverNamespace.NAMESPACE);
        if (!(id instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("no driver id (attribute " + DriverNamespace.NAMESPACE + ")");
        }
        MatchRule rule = new MatchRule(s, id(attrs, VENDOR, 0xffff), id(attrs, DEVICE, 0xffff),
                id(attrs, SUBSYSTEM_VENDOR, 0xffff), id(attrs, SUBSYSTEM, 0xffff), id(attrs, CLASS, 0xff),
                id(attrs, SUBCLASS, 0xff), id(attrs, PROG_IF, 0xff));
        rule.shapeScore(); // validates
        return rule;
    }

    private static Integer id(Map<String, Object> attrs, String name, int max) {
        Object v = attrs.get(name);
        if (v == null) {
            return null;
        }
        long value;
        if (v instanceof Number n) {
            value = n.longValue();
        } else {
            try {
                String text = v.toString().trim().toLowerCase();
                value = text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("attribute " + name + "=" + v + " is not a number");
            }
        }
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("attribute " + name + "=" + value + " is outside 0.." + max);
        }
        return (int) value;
    }

    /** The score of this rule's shape. */
    int shapeScore() {
        if (vendor != null || device != null || subsystemVendor != null || subsystem != null) {
            if (vendor == null || device == null) {
                throw new IllegalArgumentException("driver " + driverId + ": a rule with ids needs both vendor and device");
            }
            if ((subsystemVendor == null) != (subsystem == null)) {
                throw new IllegalArgumentException(
                        "driver " + driverId + ": a rule with a subsystem needs both subsystem-vendor and subsystem");
            }
            if (baseClass != null || subclass != null || progIf != null) {
                throw new IllegalArgumentException("driver " + driverId + ": a rule matches ids or class codes, not both");
            }
            return subsystem != null ? EXACT_IDS_WITH_SUBSYSTEM : EXACT_IDS;
        }
        if (baseClass == null) {
            throw new IllegalArgumentException("driver " + driverId + ": a rule needs vendor+device or a class");
        }
        if (progIf != null) {
            if (subclass == null) {
                throw new IllegalArgumentException("driver " + driverId + ": a rule with prog-if needs a subclass");
            }
            return CLASS_SUBCLASS_PROG_IF;
        }
        return subclass != null ? CLASS_SUBCLASS : CLASS_ONLY;
    }

    /** The score for {@code f}: the shape's score if every attribute matches, else 0. */
    int score(PciFunction f) {
        boolean matches = eq(vendor, f.vendorId()) && eq(device, f.deviceId())
                && eq(subsystemVendor, f.subsystemVendorId()) && eq(subsystem, f.subsystemId())
                && eq(baseClass, f.classCode().baseClass()) && eq(subclass, f.classCode().subclass())
                && eq(progIf, f.classCode().progIf());
        return matches ? shapeScore() : 0;
    }

    /** Why {@code f} does not match, or "" when it does. */
    String mismatch(PciFunction f) {
        StringBuilder out = new StringBuilder();
        differ(out, VENDOR, vendor, f.vendorId(), 4);
        differ(out, DEVICE, device, f.deviceId(), 4);
        differ(out, SUBSYSTEM_VENDOR, subsystemVendor, f.subsystemVendorId(), 4);
        differ(out, SUBSYSTEM, subsystem, f.subsystemId(), 4);
        differ(out, CLASS, baseClass, f.classCode().baseClass(), 2);
        differ(out, SUBCLASS, subclass, f.classCode().subclass(), 2);
        differ(out, PROG_IF, progIf, f.classCode().progIf(), 2);
        return out.toString();
    }

    /** Ids and class bytes fit their {@code digits}. Not String.format: every ranking of every device comes here. */
    private static void differ(StringBuilder out, String name, Integer want, int have, int digits) {
        if (want != null && want != have) {
            out.append(out.length() == 0 ? "" : ", ").append(name).append(' ')
                    .append(HEX.toHexDigits(have, digits)).append(" != ").append(HEX.toHexDigits(want, digits));
        }
    }

    private static boolean eq(Integer want, int have) {
        return want == null || want == have;
    }

    /** The rule as people read it: {@code 8086:100e}, {@code class 01.06.01}. */
    String describe() {
        return switch (shapeScore()) {
        case EXACT_IDS_WITH_SUBSYSTEM -> String.format("%04x:%04x subsystem %04x:%04x", vendor, device, subsystemVendor, subsystem);
        case EXACT_IDS -> String.format("%04x:%04x", vendor, device);
        case CLASS_SUBCLASS_PROG_IF -> String.format("class %02x.%02x.%02x", baseClass, subclass, progIf);
        case CLASS_SUBCLASS -> String.format("class %02x.%02x", baseClass, subclass);
        default -> String.format("class %02x", baseClass);
        };
    }
}
