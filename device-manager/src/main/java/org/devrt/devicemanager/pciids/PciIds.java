package org.devrt.devicemanager.pciids;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.devrt.devicemanager.pciids.PciIdsParser.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PCI ID database (pci.ids, https://pci-ids.ucw.cz): names of vendors, devices, subsystems and classes,
 * exactly as pciutils' {@code lspci} takes them from the same file. The file is parsed once, on the first lookup;
 * if there is none, or it cannot be read, every lookup is empty.
 *
 * <p>How lspci composes these into its output ({@code lib/names.c}), for whoever prints like it:
 * <ul>
 * <li>class column: {@link #subclassName}; else {@link #className} followed by {@code " [cccc]"}; else
 * {@code "Class cccc"} ({@code "Unassigned class [ffff]"} is the second case);</li>
 * <li>device column: {@code vendor + " " + device}; {@code vendor + " Device dddd"} when only the vendor is known;
 * {@code "Device vvvv:dddd"} when the vendor is not;</li>
 * <li>{@code Subsystem:} line (printed when the subsystem vendor is neither 0000 nor ffff): the same pair rule with
 * {@link #vendorName} of the subsystem vendor and {@link #subsystemName}.</li>
 * </ul>
 */
public final class PciIds {
    /** Where distributions install pci.ids: Debian and Ubuntu, then Fedora, Arch and others (hwdata). */
    public static final List<Path> SYSTEM_LOCATIONS =
            List.of(Path.of("/usr/share/misc/pci.ids"), Path.of("/usr/share/hwdata/pci.ids"));

    private static final Logger LOG = LoggerFactory.getLogger(PciIds.class);

    private final Optional<Path> file;
    private volatile Tables tables;

    private PciIds(Optional<Path> file) {
        this.file = file;
    }

    /** The system's pci.ids: the first of {@link #SYSTEM_LOCATIONS} that exists, or none. */
    public static PciIds system() {
        return firstExisting(SYSTEM_LOCATIONS);
    }

    /** The database in {@code file}. */
    public static PciIds at(Path file) {
        return new PciIds(Optional.of(file));
    }

    static PciIds firstExisting(List<Path> candidates) {
        return new PciIds(candidates.stream().filter(Files::isRegularFile).findFirst());
    }

    /** The file the names come from, if there is one. */
    public Optional<Path> file() {
        return file;
    }

    public Optional<String> vendorName(int vendor) {
        if (!fits(16, vendor)) {
            return Optional.empty();
        }
        return Optional.ofNullable(tables().vendors().get(vendor));
    }

    public Optional<String> deviceName(int vendor, int device) {
        if (!fits(16, vendor, device)) {
            return Optional.empty();
        }
        return Optional.ofNullable(tables().devices().get(vendor << 16 | device));
    }

    /**
     * The subsystem's name, found as lspci finds it: the entry under the device (when neither id is 0000); else
     * a generic subsystem
     * ({@code S} block) entry; else, when the subsystem ids equal the device ids, the device's own name.
     */
    public Optional<String> subsystemName(int vendor, int device, int subvendor, int subdevice) {
        if (!fits(16, vendor, device, subvendor, subdevice)) {
            return Optional.empty();
        }
        Tables t = tables();
        long key = (long) vendor << 48 | (long) device << 32 | (long) subvendor << 16 | subdevice;
        String name = vendor > 0 && device > 0 ? t.subsystems().get(key) : null; // as lib/names.c
        if (name == null) {
            name = t.genericSubsystems().get(subvendor << 16 | subdevice);
        }
        if (name == null && vendor == subvendor && device == subdevice) {
            name = t.devices().get(vendor << 16 | device);
        }
        return Optional.ofNullable(name);
    }

    public Optional<String> className(int baseClass) {
        if (!fits(8, baseClass)) {
            return Optional.empty();
        }
        return Optional.ofNullable(tables().classes().get(baseClass));
    }

    public Optional<String> subclassName(int baseClass, int subclass) {
        if (!fits(8, baseClass, subclass)) {
            return Optional.empty();
        }
        return Optional.ofNullable(tables().subclasses().get(baseClass << 8 | subclass));
    }

    /**
     * The programming interface's name. For an IDE controller (01.01) whose prog-if is not listed, lspci spells out
     * the mode bits ("Master SecP PriP"), and so does this.
     */
    public Optional<String> progIfName(int baseClass, int subclass, int progIf) {
        if (!fits(8, baseClass, subclass, progIf)) {
            return Optional.empty();
        }
        String name = tables().progIfs().get(baseClass << 16 | subclass << 8 | progIf);
        if (name == null && baseClass == 0x01 && subclass == 0x01 && (progIf & 0x70) == 0) {
            name = ideModes(progIf);
        }
        return Optional.ofNullable(name);
    }

    /** Whether every id is within {@code bits} bits: anything else names nothing (and must not alias a key). */
    private static boolean fits(int bits, int... ids) {
        for (int id : ids) {
            if (id >>> bits != 0) {
                return false;
            }
        }
        return true;
    }

    /** lspci's rendering of the IDE prog-if bits (PCI IDE Controller Specification, section 2.1). */
    private static String ideModes(int progIf) {
        String modes = ((progIf & 0x80) != 0 ? " Master" : "") + ((progIf & 0x08) != 0 ? " SecP" : "")
                + ((progIf & 0x04) != 0 ? " SecO" : "") + ((progIf & 0x02) != 0 ? " PriP" : "")
                + ((progIf & 0x01) != 0 ? " PriO" : "");
        return modes.isEmpty() ? null : modes.substring(1);
    }

    /** The number of vendors known, 0 if there is no database; reading it if not yet read. */
    public int vendorCount() {
        return tables().vendors().size();
    }

    private Tables tables() {
        Tables t = tables;
        if (t == null) {
            synchronized (this) {
                t = tables;
                if (t == null) {
                    t = load();
                    tables = t;
                }
            }
        }
        return t;
    }

    private Tables load() {
        if (file.isEmpty()) {
            LOG.info("no pci.ids at {}: PCI ids are shown as numbers (install package pci.ids or hwdata)",
                    SYSTEM_LOCATIONS);
            return Tables.empty();
        }
        Path path = file.get();
        long start = System.nanoTime();
        // A decoder that replaces bad UTF-8 rather than throwing: one odd byte must not cost the whole file.
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8))) {
            Tables t = PciIdsParser.parse(in);
            LOG.debug("{}: {} vendors, {} devices, {} classes in {} ms", path, t.vendors().size(),
                    t.devices().size(), t.classes().size(), (System.nanoTime() - start) / 1_000_000);
            if (t.skippedLines() > 0) {
                LOG.warn("{}: skipped {} malformed lines, e.g. {}", path, t.skippedLines(), t.firstSkipped());
            }
            return t;
        } catch (IOException e) {
            LOG.warn("{}: cannot be read ({}); PCI ids are shown as numbers", path, e.toString());
            return Tables.empty();
        }
    }

    @Override
    public String toString() {
        return "pci.ids " + file.map(Path::toString).orElse("(none)");
    }
}
