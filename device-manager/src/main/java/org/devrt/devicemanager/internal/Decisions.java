package org.devrt.devicemanager.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the user decided and the device manager must respect, across restarts: devices the user unbound, and
 * driver bundles the user uninstalled (which the manager must not install again behind the user's back). Kept
 * in Configuration Admin under the PID {@value #PID}, so they live in the framework's persistent storage.
 */
final class Decisions {
    static final String PID = "devrt.devicemanager.decisions";
    private static final String UNBOUND = "unbound.devices";
    private static final String UNINSTALLED = "uninstalled.drivers";
    private static final Logger LOG = LoggerFactory.getLogger(Decisions.class);

    private final ConfigurationAdmin configAdmin;
    private final Object saving = new Object();
    private final Set<String> unboundDevices = new TreeSet<>();
    private final Set<String> uninstalledBundles = new TreeSet<>();

    Decisions(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    /** Loads the saved decisions; a failure to read them is logged and leaves none. */
    synchronized Decisions load() {
        if (configAdmin == null) {
            return this;
        }
        try {
            Dictionary<String, Object> props = configAdmin.getConfiguration(PID, "?").getProperties();
            if (props != null) {
                unboundDevices.addAll(strings(props.get(UNBOUND)));
                uninstalledBundles.addAll(strings(props.get(UNINSTALLED)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the saved device decisions (PID {}): {}", PID, e.toString());
        }
        return this;
    }

    private static Set<String> strings(Object value) {
        if (value instanceof String[] a) {
            return Set.of(a);
        }
        return value == null ? Set.of() : Set.of(value.toString());
    }

    synchronized boolean isUnbound(String deviceId) {
        return unboundDevices.contains(deviceId);
    }

    synchronized boolean isUninstalled(String bsn) {
        return uninstalledBundles.contains(bsn);
    }

    synchronized Set<String> uninstalledBundles() {
        return Collections.unmodifiableSet(new TreeSet<>(uninstalledBundles));
    }

    void setUnbound(String deviceId, boolean unbound) {
        synchronized (this) {
            if (!(unbound ? unboundDevices.add(deviceId) : unboundDevices.remove(deviceId))) {
                return;
            }
        }
        save();
    }

    void setUninstalled(String bsn, boolean uninstalled) {
        synchronized (this) {
            if (!(uninstalled ? uninstalledBundles.add(bsn) : uninstalledBundles.remove(bsn))) {
                return;
            }
        }
        save();
    }

    private void save() {
        if (configAdmin == null) {
            return;
        }
        // One save at a time, each with the decisions as they are when it starts: two savers (the shell's unbind,
        // a user's uninstall reported by the bundle listener) could otherwise store their snapshots in reverse order.
        synchronized (saving) {
            Dictionary<String, Object> props = new Hashtable<>();
            synchronized (this) {
                props.put(UNBOUND, unboundDevices.toArray(String[]::new));
                props.put(UNINSTALLED, uninstalledBundles.toArray(String[]::new));
            }
            try {
                Configuration c = configAdmin.getConfiguration(PID, "?");
                c.updateIfDifferent(props);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot save the device decisions (PID {}): {}; they hold until restart", PID, e.toString());
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "unbound " + unboundDevices + ", uninstalled " + Arrays.toString(uninstalledBundles.toArray());
    }
}
