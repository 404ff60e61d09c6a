package org.devrt.emulator.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.devrt.emulator.EmulatedMachine;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;
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

    /** Where a bad configuration is reported; a test replaces it. */
    Consumer<String> errors = LOG::error;

    private PciFunction function;

    @Activate
    void activate(Map<String, Object> properties) {
        try {
            PciAddress address = PciAddress.parse(required(properties, "address", "00:05.0"));
            function = machine.plug(address, required(properties, "model", "generic"), options(properties));
        } catch (IllegalArgumentException | IllegalStateException e) {
            errors.accept("configuration " + source(properties) + ": " + e.getMessage() + "; no function plugged");
        }
    }

    @Deactivate
    void deactivate() {
        if (function instanceof EmulatedFunction f && f.isPresent()) {
            try {
                machine.unplug(f.address());
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

    /** The file File Install read, else the configuration's PID. */
    private static String source(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        Object pid = properties.get("service.pid");
        return (file != null ? file + " " : "") + "(pid " + pid + ")";
    }
}
