package org.devrt.pci.sysfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.devrt.pci.BarInfo;
import org.devrt.pci.ClassCode;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciAddress;

/**
 * Reads one function directory ({@code /sys/bus/pci/devices/0000:00:1f.2}) into a {@link SysfsPciFunction}. Only
 * reads: the attribute files, the {@code config} file and the target of the {@code driver} link.
 *
 * <p>The kernel's attribute files come first ({@code vendor}, {@code device}, {@code class}, ... are what the
 * kernel uses to match drivers, after its quirks); when one is missing or garbled the value comes from the
 * configuration space instead, and if that was not readable either, from all ones, as an absent register reads.
 * Every such problem is recorded with the file's path; the function is always returned.
 */
final class SysfsFunctionReader {
    /** The type-0 header the kernel lets anyone read; shorter means the file was cut. */
    static final int PCI_STD_HEADER_SIZEOF = 0x40;
    private static final int HEADER_TYPE_NORMAL = 0;
    /** The standard configuration space; see {@link #readConfig}. */
    static final int MAX_CONFIG_READ = 256;
    private static final String FROM_CONFIG = "; the value comes from the config space";

    private final String busId;

    SysfsFunctionReader(String busId) {
        this.busId = busId;
    }

    SysfsPciFunction read(Path directory, PciAddress address) {
        List<String> problems = new ArrayList<>();
        SysfsConfigSpace config = readConfig(directory.resolve("config"), problems);
        boolean normalHeader = (config.read8(ConfigSpace.HEADER_TYPE) & 0x7f) == HEADER_TYPE_NORMAL;

        int vendor = hexAttribute(directory, "vendor", 0xffff, problems)
                .orElse(config.read16(ConfigSpace.VENDOR_ID));
        int device = hexAttribute(directory, "device", 0xffff, problems)
                .orElse(config.read16(ConfigSpace.DEVICE_ID));
        int subsystemVendor = hexAttribute(directory, "subsystem_vendor", 0xffff, problems)
                .orElse(normalHeader ? config.read16(ConfigSpace.SUBSYSTEM_VENDOR_ID) : 0);
        int subsystem = hexAttribute(directory, "subsystem_device", 0xffff, problems)
                .orElse(normalHeader ? config.read16(ConfigSpace.SUBSYSTEM_ID) : 0);
        int classValue = hexAttribute(directory, "class", 0xffffff, problems)
                .orElse(config.read32(ConfigSpace.REVISION_ID) >>> 8);
        int revision = hexAttribute(directory, "revision", 0xff, problems)
                .orElse(config.read8(ConfigSpace.REVISION_ID));
        int irq = decimalAttribute(directory, "irq", problems).orElse(0);
        int pin = config.read8(ConfigSpace.INTERRUPT_PIN);

        return new SysfsPciFunction(busId, address, vendor, device, subsystemVendor, subsystem, revision,
                ClassCode.of(classValue), pin <= 4 ? pin : 0, irq, readBars(directory.resolve("resource"), problems),
                config, CapabilityList.capabilityIds(config), CapabilityList.deviceSerialNumber(config),
                kernelDriver(directory.resolve("driver"), problems), problems);
    }

    /**
     * Whatever the kernel lets us read, up to the 256 bytes of the standard configuration space (header and
     * capability list: what {@code lspci -v} reads): 64 bytes for non-root. The extended space is not read;
     * reading registers a device does not define can upset old devices, and the host backend only looks.
     */
    private static SysfsConfigSpace readConfig(Path file, List<String> problems) {
        byte[] bytes;
        long fileSize;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_CONFIG_READ);
            fileSize = Files.size(file);
        } catch (NoSuchFileException e) {
            problems.add(file + ": missing; identity comes from the attribute files only");
            return SysfsConfigSpace.unreadable();
        } catch (IOException e) {
            problems.add(file + ": cannot be read (" + e + ")");
            return SysfsConfigSpace.unreadable();
        }
        if (bytes.length < PCI_STD_HEADER_SIZEOF) {
            problems.add(file + ": only " + bytes.length + " bytes, less than the " + PCI_STD_HEADER_SIZEOF
                    + "-byte header; the rest reads as all ones");
        }
        return new SysfsConfigSpace(bytes, fileSize);
    }

    /** An attribute like {@code vendor}: {@code 0x8086\n}. */
    private static OptionalInt hexAttribute(Path directory, String name, int max, List<String> problems) {
        Path file = directory.resolve(name);
        Optional<String> text = readAttribute(file, FROM_CONFIG, problems);
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        String value = text.get();
        if (value.startsWith("0x") || value.startsWith("0X")) {
            try {
                long number = Long.parseLong(value.substring(2), 16);
                if (number >= 0 && number <= max) {
                    return OptionalInt.of((int) number);
                }
                problems.add(String.format("%s: %s is outside 0x0..0x%x%s", file, shorten(value), max, FROM_CONFIG));
                return OptionalInt.empty();
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(file + ": want a hexadecimal number like 0x8086, got '" + shorten(value) + "'" + FROM_CONFIG);
        return OptionalInt.empty();
    }

    /** The {@code irq} attribute: a decimal number. */
    private static OptionalInt decimalAttribute(Path directory, String name, List<String> problems) {
        Path file = directory.resolve(name);
        Optional<String> text = readAttribute(file, "; irq taken as 0", problems);
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text.get()));
        } catch (NumberFormatException e) {
            problems.add(file + ": want a decimal number, got '" + shorten(text.get()) + "'; irq taken as 0");
            return OptionalInt.empty();
        }
    }

    /**
     * The trimmed content of a small attribute file, or empty (and a problem ending with {@code consequence}) if
     * it is missing, unreadable or empty.
     */
    private static Optional<String> readAttribute(Path file, String consequence, List<String> problems) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).trim();
            if (text.isEmpty()) {
                problems.add(file + ": empty" + consequence);
                return Optional.empty();
            }
            return Optional.of(text);
        } catch (NoSuchFileException e) {
            problems.add(file + ": missing" + consequence);
        } catch (IOException e) {
            problems.add(file + ": cannot be read (" + e + ")" + consequence);
        }
        return Optional.empty();
    }

    private static List<BarInfo> readBars(Path file, List<String> problems) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return ResourceFile.bars(lines, file.toString(), problems::add);
        } catch (NoSuchFileException e) {
            problems.add(file + ": missing; no BARs listed");
        } catch (IOException e) {
            problems.add(file + ": cannot be read (" + e + "); no BARs listed");
        }
        return List.of();
    }

    /** The last element of the {@code driver} link's target, e.g. {@code ahci}; empty when no driver is bound. */
    private static Optional<String> kernelDriver(Path link, List<String> problems) {
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            Path target = Files.readSymbolicLink(link);
            Path name = target.getFileName();
            if (name != null) {
                return Optional.of(name.toString());
            }
            problems.add(link + ": link target '" + target + "' names no driver");
        } catch (NotLinkException e) {
            problems.add(link + ": not a symbolic link; no driver taken from it");
        } catch (UnsupportedOperationException | IOException e) {
            problems.add(link + ": cannot be read (" + e + "); no driver taken from it");
        }
        return Optional.empty();
    }

    private static String shorten(String text) {
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }
}
