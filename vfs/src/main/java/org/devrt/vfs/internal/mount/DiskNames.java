package org.devrt.vfs.internal.mount;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one naming of block devices in this bundle, shared by the automounter (mount points {@code /mnt/sda1}) and
 * {@code lsblk}: {@code sda} ... {@code sdz}, {@code sdaa}, as Linux's sd driver spells them. A device id gets a name
 * the first time it is seen: the lowest name no known id holds; the name stays with the id for good, also while the
 * device is away, and is kept in the bundle's data area ({@code block-names.properties}) so that it survives
 * restarts. Thread-safe.
 */
@Component(service = DiskNames.class)
public final class DiskNames {
    static final String STORE = "block-names.properties";
    private static final Logger LOG = LoggerFactory.getLogger(DiskNames.class);

    private final Path store;
    private final Map<String, String> byId = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    @Activate
    public DiskNames(BundleContext context) {
        this(dataFile(context));
    }

    /** @param store where the names are kept, or null to keep them in memory only */
    public DiskNames(Path store) {
        this.store = store;
        if (store != null && Files.isRegularFile(store)) {
            Properties saved = new Properties();
            try (InputStream in = Files.newInputStream(store)) {
                saved.load(in);
                saved.stringPropertyNames().stream().sorted().forEach(id -> remember(id, saved.getProperty(id)));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("cannot read the block device names in {}; names are assigned afresh: {}", store,
                        e.getMessage());
            }
        }
    }

    /** The name of {@code deviceId}, assigned now if it has none. */
    public synchronized String nameOf(String deviceId) {
        String name = byId.get(deviceId);
        if (name != null) {
            return name;
        }
        int index = 0;
        while (taken.contains(diskName(index))) {
            index++;
        }
        name = diskName(index);
        remember(deviceId, name);
        save();
        return name;
    }

    /** {@code sd} and the index in bijective base 26: 0 is sda, 25 sdz, 26 sdaa, 701 sdzz, 702 sdaaa. */
    static String diskName(int index) {
        StringBuilder letters = new StringBuilder();
        for (long n = index + 1L; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('a' + (n - 1) % 26));
        }
        return "sd" + letters;
    }

    private void remember(String id, String name) {
        if (taken.add(name)) {
            byId.put(id, name);
        }
    }

    private void save() {
        if (store == null) {
            return;
        }
        Properties out = new Properties();
        out.putAll(byId);
        try (OutputStream stream = Files.newOutputStream(store)) {
            out.store(stream, "devrt block device names: device id = name");
        } catch (IOException e) {
            LOG.warn("cannot save the block device names to {}: {}", store, e.getMessage());
        }
    }

    private static Path dataFile(BundleContext context) {
        File file = context == null ? null : context.getDataFile(STORE);
        return file == null ? null : file.toPath();
    }
}
