package org.devrt.pci.sysfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.devrt.pci.PciAddress;
import org.devrt.pci.PciBus;
import org.devrt.pci.PciBusListener;
import org.devrt.pci.PciFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's PCI functions as the kernel lists them under {@code /sys/bus/pci/devices} (or a fixture tree laid out
 * the same way). Read-only; nothing is read until {@link #rescan()}, and nothing is re-read by itself.
 *
 * <p>A function is read once, when it appears; it keeps that snapshot until it goes away. Scans and listener calls
 * are serialised by one lock, so a listener is never called concurrently, and a subscriber's replay cannot
 * interleave with a scan's changes. A listener must not call {@link #rescan()} from its callback.
 */
final class SysfsPciBus implements PciBus {
    static final String ID = "host";
    static final String DEFAULT_ROOT = "/sys/bus/pci/devices";

    private static final Logger LOG = LoggerFactory.getLogger(SysfsPciBus.class);
    /** {@code domain:bus:device.function} as the kernel names the directory; VMD domains have 5 digits. */
    private static final Pattern FUNCTION_NAME =
            Pattern.compile("([0-9a-f]{4,8}):([0-9a-f]{2}):([0-9a-f]{2})\\.([0-7])");

    private final Path root;
    private final SysfsFunctionReader reader = new SysfsFunctionReader(ID);
    private final List<PciBusListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    /** Entry names already warned about, so each stray entry is logged once. Guarded by {@link #lock}. */
    private final Set<String> ignoredNames = new HashSet<>();
    private volatile NavigableMap<PciAddress, SysfsPciFunction> present = new TreeMap<>();

    SysfsPciBus(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        int count = present.size();
        return "host PCI (sysfs, read-only), " + count + (count == 1 ? " function" : " functions");
    }

    @Override
    public List<PciFunction> functions() {
        return List.copyOf(present.values());
    }

    @Override
    public Subscription subscribe(PciBusListener listener) {
        synchronized (lock) {
            for (PciFunction function : present.values()) {
                tell(listener, function, listener::functionAdded);
            }
            listeners.add(listener);
        }
        return () -> listeners.remove(listener);
    }

    /**
     * Lists the root again: functions whose directory went away are reported removed, new directories are read
     * and reported added, both in address order. If the root cannot be listed the bus is left as it was.
     */
    @Override
    public void rescan() {
        synchronized (lock) {
            Map<PciAddress, Path> directories = listFunctionDirectories();
            if (directories == null) {
                return;
            }
            NavigableMap<PciAddress, SysfsPciFunction> next = new TreeMap<>();
            List<SysfsPciFunction> removed = new ArrayList<>();
            List<SysfsPciFunction> added = new ArrayList<>();
            for (SysfsPciFunction function : present.values()) {
                if (directories.containsKey(function.address())) {
                    next.put(function.address(), function);
                } else {
                    removed.add(function);
                }
            }
            for (Map.Entry<PciAddress, Path> entry : directories.entrySet()) {
                if (!next.containsKey(entry.getKey())) {
                    SysfsPciFunction function = reader.read(entry.getValue(), entry.getKey());
                    function.problems().forEach(problem -> LOG.warn("host PCI {}: {}", function.address(), problem));
                    next.put(function.address(), function);
                    added.add(function);
                }
            }
            present = next;
            for (SysfsPciFunction function : removed) {
                listeners.forEach(listener -> tell(listener, function, listener::functionRemoved));
            }
            for (SysfsPciFunction function : added) {
                listeners.forEach(listener -> tell(listener, function, listener::functionAdded));
            }
        }
    }

    /** The function directories by address, in address order; null if the root exists but cannot be listed. */
    private Map<PciAddress, Path> listFunctionDirectories() {
        Map<PciAddress, Path> directories = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return directories;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                PciAddress address = functionAddress(entry);
                if (address != null) {
                    directories.put(address, entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("host PCI: cannot list {} ({}); the bus keeps the functions it had", root, e.toString());
            return null;
        }
        return directories;
    }

    private PciAddress functionAddress(Path entry) {
        String name = entry.getFileName().toString();
        Matcher m = FUNCTION_NAME.matcher(name);
        if (!m.matches()) {
            ignore(name, "{}: not a PCI function directory (want dddd:bb:dd.f); ignored", entry);
            return null;
        }
        long domain = Long.parseLong(m.group(1), 16);
        try {
            return new PciAddress((int) domain, Integer.parseInt(m.group(2), 16), Integer.parseInt(m.group(3), 16),
                    Integer.parseInt(m.group(4)));
        } catch (IllegalArgumentException e) {
            ignore(name, "{}: " + e.getMessage() + "; ignored", entry);
            return null;
        }
    }

    private void ignore(String name, String message, Path entry) {
        if (ignoredNames.add(name)) {
            LOG.warn("host PCI: " + message, entry);
        }
    }

    private static void tell(PciBusListener listener, PciFunction function, Consumer<PciFunction> call) {
        try {
            call.accept(function);
        } catch (RuntimeException e) {
            LOG.warn("host PCI: listener {} failed on {}", listener, function.address(), e);
        }
    }
}
