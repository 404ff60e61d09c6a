package org.devrt.network.internal.stack;

import java.util.Map;
import java.util.function.Consumer;

import org.devrt.registry.condition.RefusedConfiguration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interface's IPv4 configuration: a factory configuration of PID {@code devrt.network.interface}, e.g. the file
 * {@code conf/devrt.network.interface-eth0.cfg}. Keyed by the NIC's MAC, so a re-plugged or re-driven NIC gets its
 * address back whatever order devices come in; its {@code name}, if given, is the interface name the NIC gets when
 * it first appears (as a udev rule by MAC gives one), so names do not depend on which driver attached first. It is a
 * service the network stack binds before its devices (the reference "Configuration" sorts before "Device"), so at
 * boot every NIC meets its configuration. An edit of the file is taken as it is ({@link #modified}): SCR then updates
 * the service's properties and the stack moves the interface straight to the new settings. Without it SCR stopped the
 * component and started it again, and the stack took the address away and gave it back: sends from it failed
 * meanwhile, the interface forgot its neighbours and announced itself again, for an edit of the gateway alone.
 */
@Component(configurationPid = InterfaceSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = InterfaceConfigComponent.class)
@Designate(ocd = InterfaceConfigComponent.Config.class, factory = true)
public final class InterfaceConfigComponent {
    private static final Logger LOG = LoggerFactory.getLogger(InterfaceConfigComponent.class);

    @ObjectClassDefinition(name = "devrt network interface",
            description = "The IPv4 address of the interface over the NIC with this MAC address.")
    @interface Config {
        @AttributeDefinition(name = "MAC address", description = "The NIC's MAC address, e.g. 52:54:00:12:34:56")
        String mac();

        @AttributeDefinition(name = "Address", description = "Address and prefix length, e.g. 10.0.2.15/24")
        String address();

        @AttributeDefinition(name = "Gateway", required = false,
                description = "Default gateway on that network, e.g. 10.0.2.2; empty for none")
        String gateway() default "";

        @AttributeDefinition(name = "Name", required = false, description = "The interface name to give the NIC"
                + " (eth0, eth1, ...) when it first appears, if no other NIC holds it; empty for the lowest free one")
        String name() default "";
    }

    /** Where a refused configuration is said; a test replaces it. */
    Consumer<String> errors = LOG::error;

    /** Written by SCR's thread at an edit, read by the stack's reference callbacks. */
    private volatile InterfaceSettings settings;
    private RefusedConfiguration refused;

    @Activate
    void activate(BundleContext context, Config config, Map<String, Object> properties) {
        take(context, config, properties);
    }

    /** The file was edited: SCR calls the stack's updated callback once this returns. */
    @Modified
    void modified(BundleContext context, Config config, Map<String, Object> properties) {
        withdrawRefusal();
        take(context, config, properties);
    }

    private void take(BundleContext context, Config config, Map<String, Object> properties) {
        try {
            settings = InterfaceSettings.parse(config.mac(), config.address(), config.gateway(), config.name());
        } catch (IllegalArgumentException e) {
            settings = null;
            refused = new RefusedConfiguration(context, properties, e.getMessage()
                    + "; ignored (an interface it configured before keeps no address from it: mend the file)");
            errors.accept(refused.line());
        }
    }

    @Deactivate
    void deactivate() {
        withdrawRefusal();
    }

    private void withdrawRefusal() {
        if (refused != null) {
            refused.withdraw();
            refused = null;
        }
    }

    /** The settings, or null if the configuration was refused. */
    InterfaceSettings settings() {
        return settings;
    }
}
