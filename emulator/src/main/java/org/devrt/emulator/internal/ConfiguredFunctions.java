package org.devrt.emulator.internal;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.devrt.registry.condition.ConditionPublisher;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The condition {@code devrt.emulator.settled}: registered while the framework has started and every
 * {@code devrt.emulator.function} configuration in Configuration Admin has had its function plugged (or refused
 * with an ERROR line). File Install reads {@code conf/} before the framework reports STARTED (its initial scan
 * runs as it starts, {@code felix.fileinstall.noInitialDelay}), so from then on the configurations of the machine
 * are all known, and boot readiness waits for this condition rather than for a guessed delay. Told of changes by
 * the framework (STARTED), Configuration Admin (updated, deleted) and the function components themselves.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public final class ConfiguredFunctions implements ConfigurationListener {
    static final String SETTLED = "devrt.emulator.settled";
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredFunctions.class);

    private final BundleContext context;
    private final ConfigurationAdmin configurations;
    private final FrameworkListener started = this::frameworkEvent;
    /** service.pid of each function component that has been activated. */
    private final Set<String> handled = new HashSet<>();
    private final ConditionPublisher settled;

    @Activate
    public ConfiguredFunctions(BundleContext context, @Reference(name = "configurations") ConfigurationAdmin cm) {
        this.context = context;
        this.configurations = cm;
        this.settled = new ConditionPublisher(context, SETTLED);
    }

    @Activate
    void activate() {
        context.addFrameworkListener(started);
        evaluate();
    }

    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(started);
        settled.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFunction(FunctionComponent function, Map<String, Object> properties) {
        synchronized (this) {
            handled.add(String.valueOf(properties.get("service.pid")));
        }
        evaluate();
    }

    void removeFunction(FunctionComponent function, Map<String, Object> properties) {
        synchronized (this) {
            handled.remove(String.valueOf(properties.get("service.pid")));
        }
        evaluate();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (FunctionComponent.PID.equals(event.getFactoryPid())) {
            evaluate();
        }
    }

    private void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            evaluate();
        }
    }

    /**
     * Registers or withdraws the condition; no lock of this component is held meanwhile, and the test is made again
     * under the publisher's lock, so a withdrawal by another thread is not overtaken.
     */
    private void evaluate() {
        if (holds()) {
            settled.publish(Map.of(), this::holds);
        } else {
            settled.withdraw();
        }
    }

    private boolean holds() {
        return context.getBundle(0).getState() == Bundle.ACTIVE && configuredHandled();
    }

    private boolean configuredHandled() {
        Configuration[] configured;
        try {
            configured = configurations.listConfigurations("(service.factoryPid=" + FunctionComponent.PID + ")");
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("cannot list the function configurations: {}", e.toString());
            return false;
        }
        synchronized (this) {
            if (configured != null) {
                for (Configuration c : configured) {
                    if (!handled.contains(c.getPid())) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
