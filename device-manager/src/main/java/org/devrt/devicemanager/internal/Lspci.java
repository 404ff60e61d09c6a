package org.devrt.devicemanager.internal;

import java.util.List;
import java.util.Optional;

import org.devrt.pci.BarInfo;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciFunction;

/**
 * Formats functions the way pciutils' {@code lspci} does: the terse line (names, {@code -n} numbers or
 * {@code -nn} both), and with {@code -v} or {@code -k} the indented detail lines.
 */
final class Lspci {
    enum Numbers {
        NAMES, NUMBERS, BOTH
    }

    private final PciNames names;
    private final Numbers numbers;
    private final boolean showDomain;

    Lspci(PciNames names, Numbers numbers, boolean showDomain) {
        this.names = names;
        this.numbers = numbers;
        this.showDomain = showDomain;
    }

    /** {@code 00:1f.2 SATA controller: Intel Corporation ... (rev 02)}; with prog-if when verbose. */
    String line(PciFunction f, boolean verbose) {
        StringBuilder out = new StringBuilder(showDomain ? f.address().toString() : f.address().toShortString());
        int cls = f.classCode().baseClass();
        int sub = f.classCode().subclass();
        String classHex = String.format("%02x%02x", cls, sub);
        String ids = String.format("%04x:%04x", f.vendorId(), f.deviceId());
        switch (numbers) {
        case NUMBERS -> out.append(' ').append(classHex).append(": ").append(ids);
        case BOTH -> out.append(' ').append(className(cls, sub)).append(" [").append(classHex).append("]: ")
                .append(deviceName(f)).append(" [").append(ids).append(']');
        default -> out.append(' ').append(className(cls, sub)).append(": ").append(deviceName(f));
        }
        if (f.revision() != 0) {
            out.append(String.format(" (rev %02x)", f.revision()));
        }
        int progIf = f.classCode().progIf();
        if (verbose && progIf != 0) {
            out.append(String.format(" (prog-if %02x", progIf));
            if (numbers != Numbers.NUMBERS) {
                names.progIf(cls, sub, progIf).ifPresent(n -> out.append(" [").append(n).append(']'));
            }
            out.append(')');
        }
        return out.toString();
    }

    /** The subsystem line, {@code \tSubsystem: ...}, or "" when the function has none. */
    String subsystem(PciFunction f) {
        if (f.subsystemVendorId() == 0 || f.subsystemVendorId() == 0xffff) {
            return ""; // as lspci: no subsystem line for vendor 0000 or ffff
        }
        String ids = String.format("%04x:%04x", f.subsystemVendorId(), f.subsystemId());
        String name = names.subsystem(f.vendorId(), f.deviceId(), f.subsystemVendorId(), f.subsystemId())
                .map(s -> names.vendor(f.subsystemVendorId()).map(v -> v + " " + s).orElse(s))
                .orElseGet(() -> names.vendor(f.subsystemVendorId()).map(v -> v + " Device " + String.format("%04x", f.subsystemId()))
                        .orElse("Device " + ids));
        return "\tSubsystem: " + switch (numbers) {
        case NUMBERS -> ids;
        case BOTH -> name + " [" + ids + "]";
        default -> name;
        } + "\n";
    }

    /** The {@code -v} detail lines: flags, BARs, capabilities. */
    String details(PciFunction f) {
        StringBuilder out = new StringBuilder();
        ConfigSpace cs = f.config();
        int command = cs.read16(ConfigSpace.COMMAND);
        out.append("\tFlags: ");
        out.append((command & ConfigSpace.COMMAND_BUS_MASTER) != 0 ? "bus master" : "");
        if (f.interruptPin() != 0) {
            out.append((command & ConfigSpace.COMMAND_BUS_MASTER) != 0 ? ", " : "")
                    .append("IRQ ").append(cs.read8(ConfigSpace.INTERRUPT_LINE));
        }
        out.append('\n');
        for (BarInfo bar : f.bars()) {
            out.append('\t').append(bar(bar)).append('\n');
        }
        List<Integer> caps = f.capabilities();
        for (int id : caps) {
            out.append("\tCapabilities: ").append(capabilityName(id)).append('\n');
        }
        return out.toString();
    }

    static String bar(BarInfo bar) {
        if (bar.kind() == BarInfo.Kind.IO) {
            return String.format("I/O ports at %04x [size=%s]", bar.address(), size(bar.size()));
        }
        return String.format("Memory at %x (%s, %sprefetchable) [size=%s]", bar.address(),
                bar.kind() == BarInfo.Kind.MEMORY64 ? "64-bit" : "32-bit", bar.prefetchable() ? "" : "non-", size(bar.size()));
    }

    /** As lspci prints sizes: 32, 4K, 128K, 16M, 2G. */
    static String size(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        int u = 0;
        while (bytes >= 1024 && bytes % 1024 == 0 && u < units.length - 1) {
            bytes /= 1024;
            u++;
        }
        return bytes + units[u];
    }

    static String capabilityName(int id) {
        return switch (id) {
        case 0x01 -> "[01] Power Management";
        case 0x05 -> "[05] MSI: Message Signalled Interrupts";
        case 0x09 -> "[09] Vendor Specific Information";
        case 0x10 -> "[10] Express";
        case 0x11 -> "[11] MSI-X";
        case 0x12 -> "[12] SATA HBA";
        case 0x13 -> "[13] PCI Advanced Features";
        default -> String.format("[%02x]", id);
        };
    }

    private String className(int cls, int sub) {
        // as lspci: the subclass's name; else the class's name with the number; else the number
        return names.subclass(cls, sub)
                .orElseGet(() -> names.baseClass(cls).map(n -> String.format("%s [%02x%02x]", n, cls, sub))
                        .orElse(String.format("Class %02x%02x", cls, sub)));
    }

    private String deviceName(PciFunction f) {
        Optional<String> vendor = names.vendor(f.vendorId());
        Optional<String> device = names.device(f.vendorId(), f.deviceId());
        if (vendor.isPresent() && device.isPresent()) {
            return vendor.get() + " " + device.get();
        }
        if (vendor.isPresent()) {
            return vendor.get() + String.format(" Device %04x", f.deviceId());
        }
        return String.format("Device %04x:%04x", f.vendorId(), f.deviceId());
    }
}
