package org.devrt.system.internal.log;

import java.lang.reflect.Method;

import org.devrt.system.internal.diag.FrameworkErrorLog;
import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix's own log on SLF4J ({@code Events.Felix}), one line a record and the stack trace at DEBUG. Felix logs its
 * internal errors (its bundle cache, an update it refused, a listener that threw) to standard output, with the stack
 * trace of each: 25 lines on the terminal for an {@code update} refused as a duplicate version, under the command's
 * own one-line message. Felix takes another logger only as an object among the launch properties
 * ({@code felix.log.logger}), which the bnd launcher cannot pass; so the framework's {@code Logger} is reached by
 * reflection ({@code Felix.getLogger()}, package-private) and handed this object through its public
 * {@code setLogger(Object)}, which calls {@link #log(int, String, Throwable)}. Felix still decides which records
 * come ({@code felix.log.level}, errors by default). A framework without these methods keeps its own logging.
 */
public final class FelixLog {
    private static final Logger LOG = LoggerFactory.getLogger("Events.Felix");
    private static final int ERROR = 1;
    private static final int WARNING = 2;
    private static final int INFO = 3;

    private final Object frameworkLogger;
    private final Method setLogger;

    private FelixLog(Object frameworkLogger, Method setLogger) {
        this.frameworkLogger = frameworkLogger;
        this.setLogger = setLogger;
    }

    /** Routes the log of {@code system}'s framework here, or returns null (said at DEBUG) if it cannot. */
    static FelixLog install(Bundle system) {
        try {
            Method getLogger = system.getClass().getDeclaredMethod("getLogger");
            getLogger.setAccessible(true);
            Object logger = getLogger.invoke(system);
            Method setLogger = logger.getClass().getMethod("setLogger", Object.class);
            FelixLog log = new FelixLog(logger, setLogger);
            setLogger.invoke(logger, log);
            return log;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("the framework's log stays its own (standard output): {}", e.toString());
            return null;
        }
    }

    /** Gives the framework its own logging back: this bundle's classes must not be called once it stops. */
    void uninstall() {
        try {
            setLogger.invoke(frameworkLogger, (Object) null);
        } catch (ReflectiveOperationException e) {
            LOG.debug("could not give the framework its logging back: {}", e.toString());
        }
    }

    /**
     * Called by Felix's {@code Logger} with its text ("Bundle x [12] Unable to update the bundle. (exception)"); the
     * exception's causes, which Felix's text leaves out, are added.
     */
    public void log(int level, String message, Throwable error) {
        String text = error == null || error.getCause() == null ? message
                : message + "; " + FrameworkErrorLog.describe(error.getCause());
        switch (level) {
        case ERROR -> LOG.error(text);
        case WARNING -> LOG.warn(text);
        case INFO -> LOG.info(text);
        default -> LOG.debug(text);
        }
        if (error != null && LOG.isDebugEnabled()) {
            LOG.debug("the stack trace of: " + message, error);
        }
    }
}
