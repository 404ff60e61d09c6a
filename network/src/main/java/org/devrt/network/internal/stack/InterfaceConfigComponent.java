package org.devrt.network.internal.stack;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interface's IPv4 configuration: a factory configuration of PID {@code devrt.network.interface}, e.g. the file
 * {@code conf/devrt.network.interface-eth0.cfg}. Keyed by the NIC's MAC, so a re-plugged or re-driven NIC gets its
 * address back whatever order devices come in.
 */
@Component(configurationPid = InterfaceSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
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
    }

    @Reference
    NetworkStackComponent network;

    private InterfaceSettings settings;

    @Activate
    void activate(Config config) {
        try {
            settings = InterfaceSettings.parse(config.mac(), config.address(), config.gateway());
            network.configure(settings);
        } catch (IllegalArgumentException e) {
            LOG.error("configuration {} ignored: {}", InterfaceSettings.FACTORY_PID, e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        if (settings != null) {
            network.unconfigure(settings);
        }
    }
}
