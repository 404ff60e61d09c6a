package org.devrt.emulator.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.devrt.emulator.EmulatedMachine;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;
import org.devrt.registry.condition.RefusedConfiguration;
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
 * and the problem; nothing else is affected. Registered as a service once it has done so, for
 * {@link ConfiguredFunctions}.
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

    private PciFunction function;
    private RefusedConfiguration refused;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        try {
            PciAddress address = PciAddress.parse(required(properties, "address", "00:05.0"));
            function = machine.plug(address, required(properties, "model", "generic"), options(properties));
        } catch (IllegalArgumentException | IllegalStateException e) {
            refused = new RefusedConfiguration(context, properties, e.getMessage() + "; no function plugged");
            errors.accept(refused.line());
        }
    }

    @Deactivate
    void deactivate() {
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
