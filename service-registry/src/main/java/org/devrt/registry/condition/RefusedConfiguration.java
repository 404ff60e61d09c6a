package org.devrt.registry.condition;

import java.util.Map;

import org.devrt.registry.config.ComponentConfig;
import org.osgi.framework.BundleContext;

/**
 * A configuration that a component refused, such as an emulated function at an address that is not one, or a
 * gateway whose address is a word: its component stays active and does nothing with it. The refusal is a condition
 * ({@link #CONDITION_ID}, the line that says it in {@link #LINE}) while the component stays active with it, so that
 * {@code diag} lists it beside the configuration check's findings, and it goes when the configuration is mended or
 * deleted (SCR deactivates the component, which {@link #withdraw}s it). The component logs the line itself.
 */
public final class RefusedConfiguration {
    /** The {@code osgi.condition.id} of every refusal. */
    public static final String CONDITION_ID = "devrt.configuration.refused";
    /** The property of a refusal's condition that holds its line. */
    public static final String LINE = "devrt.refusal";

    private final String line;
    private final ConditionPublisher condition;

    /**
     * A refusal of the configuration a component was given ({@code properties}, as SCR passes them) for
     * {@code reason}, published at once as a condition of {@code context}'s bundle; with no context (a component
     * tested outside a framework) nothing is published.
     */
    public RefusedConfiguration(BundleContext context, Map<String, ?> properties, String reason) {
        this.line = ComponentConfig.name(properties) + ": " + reason;
        this.condition = context == null ? null : new ConditionPublisher(context, CONDITION_ID);
        if (condition != null) {
            condition.publish(Map.of(LINE, line));
        }
    }

    /** What was refused and why: {@code configuration <pid> (<file>): <reason>}. */
    public String line() {
        return line;
    }

    /** Withdraws the refusal's condition, as its component is deactivated. */
    public void withdraw() {
        if (condition != null) {
            condition.close();
        }
    }
}
