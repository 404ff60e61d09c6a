package org.devrt.system.internal.diag;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

/**
 * The last {@link FrameworkEvent#ERROR} of each bundle, as one line of text: the exception's class and message
 * and those of its causes, never a stack trace. It sees only the errors after it was registered.
 */
public final class FrameworkErrorLog implements FrameworkListener {
    private static final int MAX_CAUSES = 5;

    private final Map<Long, String> lastErrorByBundle = new ConcurrentHashMap<>();

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null) {
            lastErrorByBundle.put(event.getBundle().getBundleId(), describe(event.getThrowable()));
        }
    }

    Optional<String> lastError(long bundleId) {
        return Optional.ofNullable(lastErrorByBundle.get(bundleId));
    }

    /**
     * "activator threw IllegalStateException: no config" for an activator's failure, else the chain
     * "BundleException: ...; caused by IOException: ...".
     */
    public static String describe(Throwable error) {
        if (error == null) {
            return "an error without an exception";
        }
        if (error instanceof BundleException bundleException
                && bundleException.getType() == BundleException.ACTIVATOR_ERROR && error.getCause() != null) {
            return "activator threw " + chain(error.getCause());
        }
        return chain(error);
    }

    private static String chain(Throwable error) {
        StringBuilder text = new StringBuilder();
        Throwable current = error;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
            if (depth > 0) {
                text.append("; caused by ");
            }
            text.append(current.getClass().getSimpleName());
            if (current.getMessage() != null) {
                text.append(": ").append(current.getMessage().replaceAll("\\s*\\R\\s*", " ").strip());
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return text.toString();
    }
}
