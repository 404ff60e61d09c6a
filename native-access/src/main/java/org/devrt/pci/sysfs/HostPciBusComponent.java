package org.devrt.pci.sysfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.devrt.pci.PciBus;
import org.devrt.registry.config.ComponentConfig;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the host's PCI bus, read-only from sysfs, as a {@link PciBus} service with {@code devrt.pci.bus=host}.
 * Registered even where there is no sysfs (not Linux, a container without it): the bus is then empty. The bus is
 * scanned once at activation and then on demand; a rescan interval can be configured.
 */
@Component(configurationPid = HostPciBusComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = HostPciBusComponent.Config.class)
public final class HostPciBusComponent {
    static final String PID = "devrt.pci.host";

    private static final Logger LOG = LoggerFactory.getLogger(HostPciBusComponent.class);

    @ObjectClassDefinition(id = PID, name = "devrt host PCI bus",
            description = "The host's PCI functions, read-only from Linux sysfs: listed and matched, never driven.")
    @interface Config {
        @AttributeDefinition(description = "Register the host PCI bus.")
        boolean enabled() default true;

        @AttributeDefinition(description = "The directory holding one entry per PCI function (dddd:bb:dd.f).")
        String sysfsRoot() default SysfsPciBus.DEFAULT_ROOT;

        @AttributeDefinition(description = "Seconds between rescans of the root; 0 rescans only on demand.", min = "0")
        int rescanIntervalSeconds() default 0;
    }

    private ServiceRegistration<PciBus> registration;
    private ScheduledExecutorService rescanner;
    private SysfsPciBus bus;

    @Activate
    void activate(BundleContext context, Config configured, Map<String, Object> properties) {
        // A rescan interval that is not a number leaves the default, not a host bus that is not there.
        Config config = ComponentConfig.withDefaults(Config.class, configured, properties, LOG);
        if (!config.enabled()) {
            LOG.info("host PCI: disabled by configuration {}; no bus registered", PID);
            return;
        }
        Path root = Path.of(config.sysfsRoot());
        bus = new SysfsPciBus(root);
        if (Files.isDirectory(root)) {
            bus.rescan();
            LOG.info("host PCI: {} from {}", bus.description(), root);
        } else if (root.equals(Path.of(SysfsPciBus.DEFAULT_ROOT))) {
            LOG.info("host PCI: {} does not exist (not Linux, or a container without sysfs); "
                    + "the host bus is registered empty", root);
        } else { // named in a configuration: more likely a typo than a host without sysfs
            LOG.warn("host PCI: {} does not exist; the host bus is registered empty (sysfsRoot of {}; the default"
                    + " is {})", root, PID, SysfsPciBus.DEFAULT_ROOT);
        }
        if (config.rescanIntervalSeconds() > 0) {
            rescanner = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "devrt host PCI rescan");
                thread.setDaemon(true);
                return thread;
            });
            SysfsPciBus scanned = bus;
            rescanner.scheduleWithFixedDelay(() -> {
                try {
                    scanned.rescan();
                } catch (RuntimeException e) {
                    LOG.warn("host PCI: rescan of {} failed", root, e);
                }
            }, config.rescanIntervalSeconds(), config.rescanIntervalSeconds(), TimeUnit.SECONDS);
        }
        Dictionary<String, Object> busProperties = new Hashtable<>();
        busProperties.put(PciBus.BUS_ID, bus.id());
        registration = context.registerService(PciBus.class, bus, busProperties);
    }

    @Deactivate
    void deactivate() {
        if (rescanner != null) {
            rescanner.shutdownNow();
            rescanner = null;
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it when the bundle stopped
            }
            registration = null;
        }
        bus = null;
    }

    /** The registered bus, for tests; null when disabled or deactivated. */
    SysfsPciBus bus() {
        return bus;
    }
}
