package org.devrt.emulator.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.devrt.emulator.EmulatedMachine;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciBus;
import org.devrt.pci.PciBusListener;
import org.devrt.pci.PciFunction;
import org.devrt.registry.condition.RefusedConfiguration;
import org.devrt.registry.config.ComponentConfig;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugs the function a {@code devrt.emulator.function} factory configuration describes while the configuration
 * exists: File Install turns {@code conf/devrt.emulator.function-nic0.cfg} into one, so adding the file plugs the
 * function, deleting it unplugs it, editing it re-plugs it. A bad configuration is one ERROR line naming the file
 * and the problem; nothing else is affected. One refused because its address is taken (a function plugged from the
 * shell, or by another configuration) waits on the bus for that function to go and is plugged then. Registered as a
 * service once it has been handled, for {@link ConfiguredFunctions}.
 */
@Component(service = FunctionComponent.class, configurationPid = FunctionComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FunctionConfig.class, factory = true)
public final class FunctionComponent {
    static final String PID = "devrt.emulator.function";
    private static final Logger LOG = LoggerFactory.getLogger(FunctionComponent.class);
    private static final String[] NOT_OPTIONS = {"service.", "component.", "felix.", "osgi.", "."};

    @Reference
    EmulatedMachine machine;

    /** Where a refused configuration is said; a test replaces it. */
    Consumer<String> errors = LOG::error;
    /** Runs a plug that waited for its address, away from the bus's lock, under which the bus tells of a removal. */
    Executor retries = r -> {
        Thread t = new Thread(r, "devrt-function-retry");
        t.setDaemon(true);
        t.start();
    };

    // guarded by this
    private BundleContext context;
    private Map<String, Object> properties;
    private boolean active;
    private PciFunction function;
    private RefusedConfiguration refused;
    private String refusedFor;
    /** While the address is taken: the bus subscription that says when it is free. */
    private PciBus.Subscription waiting;

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        this.properties = properties;
        this.active = true;
        plug();
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        stopWaiting();
        if (refused != null) {
            refused.withdraw();
        }
        if (function instanceof EmulatedFunction f && f.isPresent()) {
            try {
                machine.remove(f.address()); // its driver detaches first: a configuration edit is no yank
            } catch (IllegalArgumentException e) {
                LOG.debug("{} was unplugged already", f.address());
            }
        }
    }

    private synchronized void plug() {
        if (!active || function != null) {
            return;
        }
        try {
            PciAddress address = PciAddress.parse(required(properties, "address", "00:05.0"));
            function = machine.plug(address, required(properties, "model", "generic"), options(properties));
            stopWaiting();
            if (refused != null) {
                refused.withdraw();
                LOG.info("{}: {} is free now; plugged", ComponentConfig.name(properties), address);
                refused = null;
            }
        } catch (Machine.AddressTaken e) {
            refuse(e.getMessage() + "; plugged there once it is free");
            awaitFree(e.address);
        } catch (IllegalArgumentException | IllegalStateException e) {
            refuse(e.getMessage() + "; no function plugged");
        }
    }

    /** Publishes and says the refusal, unless it is the one already said. */
    private void refuse(String reason) {
        if (refused != null) {
            if (reason.equals(refusedFor)) {
                return;
            }
            refused.withdraw();
        }
        refused = new RefusedConfiguration(context, properties, reason);
        refusedFor = reason;
        errors.accept(refused.line());
    }

    /** Plugs again when the function at {@code address} leaves the bus. */
    private void awaitFree(PciAddress address) {
        if (!(machine instanceof PciBus bus)) {
            return;
        }
        if (waiting == null) {
            waiting = bus.subscribe(new PciBusListener() {
                @Override
                public void functionAdded(PciFunction added) {
                }

                @Override
                public void functionRemoved(PciFunction removed) {
                    if (removed.address().equals(address)) {
                        retries.execute(FunctionComponent.this::plug);
                    }
                }
            });
        }
        if (bus.functions().stream().noneMatch(f -> f.address().equals(address))) {
            retries.execute(this::plug); // freed before the subscription began
        }
    }

    private void stopWaiting() {
        if (waiting != null) {
            waiting.close();
            waiting = null;
        }
    }

    private static String required(Map<String, Object> properties, String key, String example) {
        Object value = properties.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException("no '" + key + "' property (e.g. " + key + "=" + example + ")");
        }
        return value.toString().trim();
    }

    /** The model's options: every property but address, model and the framework's own. */
    static Map<String, String> options(Map<String, Object> properties) {
        Map<String, String> options = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (!key.equals("address") && !key.equals("model") && !isFrameworkProperty(key)) {
                options.put(key, String.valueOf(value).trim());
            }
        });
        return options;
    }

    private static boolean isFrameworkProperty(String key) {
        for (String prefix : NOT_OPTIONS) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
