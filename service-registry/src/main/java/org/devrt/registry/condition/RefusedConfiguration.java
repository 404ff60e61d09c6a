package org.devrt.registry.condition;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

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
        this.line = name(properties.get("service.pid"), properties.get("felix.fileinstall.filename")) + ": " + reason;
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

    /**
     * How devrt names a configuration in what it says: {@code configuration <pid> (<file>)}, the file being the one
     * File Install read it from ({@code felix.fileinstall.filename}, a URL) as a path, or nothing when there is none.
     */
    public static String name(Object pid, Object fileUrl) {
        return "configuration " + pid + (fileUrl == null ? "" : " (" + path(fileUrl) + ")");
    }

    private static String path(Object fileUrl) {
        try {
            return Path.of(URI.create(String.valueOf(fileUrl))).toString();
        } catch (RuntimeException notAFileUrl) {
            return String.valueOf(fileUrl);
        }
    }
}
