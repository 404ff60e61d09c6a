package org.devrt.system.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

import org.devrt.registry.config.ComponentConfig;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the configurations File Install made from files that were deleted while devrt was stopped. Configuration
 * Admin keeps every configuration in the framework's storage, and File Install, on its first scan, creates or
 * updates configurations for the files it finds but never learns of a file that went while it was not watching:
 * so a deleted {@code conf/devrt.emulator.machine.cfg} stayed in force at every start, and {@code conf/README.md}'s
 * "delete it and the configuration goes" held only while devrt ran.
 *
 * <p>A bundle activator, not a component: it runs as Configuration Admin registers its service (devrt.system
 * starts before it), before SCR has given any component a configuration that is about to go, so no component is
 * configured and then configured again, and no emulated disk is pulled and plugged for it.
 */
public final class StaleConfigurations implements BundleActivator {
    private static final Logger LOG = LoggerFactory.getLogger(StaleConfigurations.class);

    private ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker;

    @Override
    public void start(BundleContext context) {
        tracker = new ServiceTracker<>(context, ConfigurationAdmin.class, null) {
            @Override
            public ConfigurationAdmin addingService(ServiceReference<ConfigurationAdmin> reference) {
                ConfigurationAdmin admin = super.addingService(reference);
                if (admin != null) {
                    deleteStale(admin);
                }
                return admin;
            }
        };
        tracker.open();
    }

    @Override
    public void stop(BundleContext context) {
        tracker.close();
    }

    /** Deletes each configuration whose File Install file no longer exists; returns their PIDs. */
    static List<String> deleteStale(ConfigurationAdmin admin) {
        List<String> deleted = new ArrayList<>();
        Configuration[] all;
        try {
            all = admin.listConfigurations("(" + ComponentConfig.FILE + "=*)");
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("cannot list the configurations to find those whose file was deleted: {}", e.toString());
            return deleted;
        }
        for (Configuration c : all == null ? new Configuration[0] : all) {
            Dictionary<String, Object> properties = c.getProperties();
            Path file = properties == null ? null : ComponentConfig.file(properties.get(ComponentConfig.FILE));
            if (file == null || Files.exists(file)) {
                continue;
            }
            String pid = c.getPid(); // a deleted configuration answers nothing more
            try {
                c.delete();
                deleted.add(pid);
                LOG.info("configuration {} deleted: its file {} was deleted while devrt was stopped", pid, file);
            } catch (IOException | IllegalStateException e) {
                LOG.warn("configuration {}: its file {} is gone, but the configuration cannot be deleted: {}", pid,
                        file, e.toString());
            }
        }
        return deleted;
    }
}
