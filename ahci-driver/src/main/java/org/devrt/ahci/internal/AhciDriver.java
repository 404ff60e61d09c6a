package org.devrt.ahci.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceService;
import org.devrt.pci.BarInfo;
import org.devrt.pci.ClassCode;
import org.devrt.pci.DriverAttachment;
import org.devrt.pci.DriverContext;
import org.devrt.pci.PciDriver;
import org.devrt.pci.PciFunction;
import org.devrt.registry.config.ComponentConfig;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AHCI driver: any AHCI 1.x HBA (class 01.06 prog-if 01), one {@link BlockDevice} service per SATA disk.
 * Attach is probe, acquire, initialise ({@link AhciController}), IDENTIFY each disk, register its service.
 */
@Component(service = PciDriver.class, property = DeviceService.DRIVER_ID + "=" + AhciDriver.ID,
        configurationPid = AhciDriver.PID)
@Designate(ocd = AhciDriver.Config.class)
public final class AhciDriver implements PciDriver {
    static final String ID = "ahci";
    static final String PID = "devrt.ahci";
    static final ClassCode AHCI = new ClassCode(0x01, 0x06, 0x01);
    private static final Logger LOG = LoggerFactory.getLogger(AhciDriver.class);

    @ObjectClassDefinition(name = "devrt AHCI driver", description = "SATA disks behind AHCI host bus adapters.")
    @interface Config {
        @AttributeDefinition(description = "How long a command may take before it fails and its port is recovered, "
                + "in milliseconds.", min = "1")
        long commandTimeoutMillis() default 10_000;
    }

    /** Registers a disk's service; the test suite gives its own. */
    interface Publisher {
        /** @return what unregisters it */
        Runnable publish(BlockDevice disk, Map<String, Object> properties);
    }

    private Publisher publisher;
    private volatile Duration timeout;
    /** The controllers attached, which a changed command time-out reaches. */
    private final Set<AhciController> attached = ConcurrentHashMap.newKeySet();

    public AhciDriver() {
    }

    AhciDriver(Publisher publisher, Duration timeout) {
        this.publisher = publisher;
        this.timeout = timeout;
    }

    @Activate
    void activate(BundleContext context, Config config, Map<String, Object> componentProperties) {
        this.timeout = commandTimeout(config, componentProperties);
        this.publisher = (disk, properties) -> {
            ServiceRegistration<BlockDevice> registration = context.registerService(BlockDevice.class, disk,
                    new Hashtable<>(properties));
            return () -> {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle stopped first: the framework unregistered it
                }
            };
        };
    }

    /**
     * A changed configuration applies in place: commands issued from now on, on every attached disk, wait the new
     * time-out (those in flight keep theirs). Without this SCR would deactivate the driver for it, and every disk
     * would be detached (its volumes flushed and unmounted) and attached again.
     */
    @Modified
    void modified(Config config, Map<String, Object> componentProperties) {
        Duration changed = commandTimeout(config, componentProperties);
        if (changed.equals(timeout)) {
            return;
        }
        LOG.info("command time-out {} ms (was {} ms), for {} attached {}", changed.toMillis(), timeout.toMillis(),
                attached.size(), attached.size() == 1 ? "controller" : "controllers");
        timeout = changed;
        attached.forEach(hba -> hba.commandTimeout(changed));
    }

    /** A time-out that is not a number leaves the default, not a driver that cannot activate (no disk at all). */
    private static Duration commandTimeout(Config config, Map<String, Object> componentProperties) {
        Config settings = ComponentConfig.withDefaults(Config.class, config, componentProperties, LOG);
        return Duration.ofMillis(Math.max(1, settings.commandTimeoutMillis()));
    }

    @Override
    public DriverAttachment attach(PciFunction function, DriverContext context) throws Exception {
        probe(function);
        AhciController hba = AhciController.acquire(function, context.deviceId(), timeout);
        Map<Integer, Runnable> registrations = new ConcurrentHashMap<>(); // by port
        hba.listener(new AhciController.DiskListener() { // disks connected and removed after bring-up
            @Override
            public void added(SataDisk disk) {
                registrations.put(disk.port().number, publisher.publish(disk, properties(context, disk)));
            }

            @Override
            public void removed(int port) {
                Runnable registration = registrations.remove(port);
                if (registration != null) {
                    registration.run();
                }
            }

            @Override
            public void problem(String problem) {
                context.problem(problem);
            }
        });
        DriverAttachment attachment = () -> {
            hba.stopHotPlug(); // no disk comes or goes from here on
            registrations.values().forEach(Runnable::run); // consumers learn first, synchronously
            registrations.clear();
            attached.remove(hba);
            hba.detach("driver detached");
        };
        List<String> problems;
        try {
            hba.initialise();
            attached.add(hba);
            hba.commandTimeout(timeout); // changed while it was initialised: modified() did not see it yet
            for (SataDisk disk : hba.identifyDisks()) {
                registrations.put(disk.port().number, publisher.publish(disk, properties(context, disk)));
            }
            problems = hba.problems();
            if (!problems.isEmpty()) { // a disk left out: the device manager shows it with the controller
                context.problem(String.join("; ", problems));
            }
        } catch (Exception | Error e) {
            attachment.detach();
            throw e;
        }
        if (registrations.isEmpty() && problems.isEmpty()) {
            LOG.info("{}: AHCI HBA without disks", context.deviceId());
        }
        return attachment;
    }

    /** Probe: the class code says AHCI, and ABAR (BAR 5) is a memory BAR. */
    static void probe(PciFunction function) throws IOException {
        if (!function.classCode().equals(AHCI)) {
            throw new IOException(function.address() + " is class " + function.classCode() + " prog-if "
                    + function.classCode().progIf() + ", not an AHCI HBA (0106 prog-if 1)");
        }
        BarInfo abar = function.bars().stream().filter(b -> b.index() == AhciController.ABAR).findFirst()
                .orElseThrow(() -> new IOException(function.address() + " has no BAR 5 (ABAR)"));
        if (abar.kind() == BarInfo.Kind.IO || abar.size() < Ahci.portBase(1)) {
            throw new IOException(function.address() + ": ABAR (BAR 5) is " + abar.kind() + " of " + abar.size()
                    + " bytes; AHCI needs a memory BAR of at least " + Ahci.portBase(1) + " bytes");
        }
    }

    /** The context's properties, with the device id extended per port, the type and a description. */
    static Map<String, Object> properties(DriverContext context, SataDisk disk) {
        Map<String, Object> properties = new HashMap<>(context.serviceProperties());
        properties.put(DeviceService.DEVICE_ID, context.deviceId() + "/port" + disk.port().number);
        properties.put(DeviceService.DEVICE_TYPE, DeviceService.TYPE_BLOCK);
        properties.put(DeviceService.DESCRIPTION, disk.model());
        return properties;
    }
}
