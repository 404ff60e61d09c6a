package org.devrt.system.internal.log;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.LogService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The OSGi Log Service (LoggerFactory and LogService, Log 1.4/1.5) written straight to SLF4J, so that what SCR,
 * Configuration Admin, Event Admin and the framework's events log appears in the same output as everything else,
 * with time, level and logger, and costs a level check when it is not written. One instance per using bundle
 * (bundle scope): that bundle names the entries of {@link #getLogger(String)} and of the old {@code log} methods.
 *
 * <p>An OSGi logger's name is its SLF4J logger's, except the root logger ({@value Logger#ROOT_LOGGER_NAME}) and the
 * old {@code log} methods, which write to the logger named by the bundle's symbolic name. Levels are SLF4J's (for
 * slf4j-simple, the {@code org.slf4j.simpleLogger.*} framework properties in run.bndrun): there is no
 * {@code LoggerAdmin} and no {@code LogReaderService}; the output is the log. This replaces Felix Log and a bridge
 * that read its entries back: Felix Log 1.3.0 formatted a configuration PID with {@link String#format} on every level
 * check, about 9000 times in a first start, for SCR's debug checks alone.
 */
@Component(service = {LoggerFactory.class, LogService.class}, scope = ServiceScope.BUNDLE)
public final class Slf4jLogService implements LogService {
    private final Bundle user;
    /** The root logger of {@link #user}, for the old {@code log} methods; made on first use. */
    private volatile Slf4jLogger bundleLogger;

    @Activate
    public Slf4jLogService(ComponentContext context) {
        this(context.getUsingBundle());
    }

    Slf4jLogService(Bundle user) {
        this.user = user;
    }

    @Override
    public Logger getLogger(String name) {
        return getLogger(user, name, Logger.class);
    }

    @Override
    public Logger getLogger(Class<?> clazz) {
        return getLogger(user, clazz.getName(), Logger.class);
    }

    @Override
    public <L extends Logger> L getLogger(String name, Class<L> loggerType) {
        return getLogger(user, name, loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Class<?> clazz, Class<L> loggerType) {
        return getLogger(user, clazz.getName(), loggerType);
    }

    /**
     * @throws IllegalArgumentException if {@code loggerType} is neither {@link Logger} nor {@link FormatterLogger}
     */
    @Override
    public <L extends Logger> L getLogger(Bundle bundle, String name, Class<L> loggerType) {
        if (loggerType == Logger.class || loggerType == FormatterLogger.class) {
            return loggerType.cast(newLogger(bundle, name, loggerType == FormatterLogger.class));
        }
        throw new IllegalArgumentException("no logger of type " + loggerType.getName()
                + ": this log service makes " + Logger.class.getName() + " and " + FormatterLogger.class.getName());
    }

    private static Slf4jLogger newLogger(Bundle bundle, String name, boolean printf) {
        return new Slf4jLogger(name, org.slf4j.LoggerFactory.getLogger(slf4jName(bundle, name)), printf);
    }

    /** The SLF4J logger an OSGi logger of {@code bundle} named {@code name} writes to. */
    static String slf4jName(Bundle bundle, String name) {
        if (name != null && !name.isEmpty() && !Logger.ROOT_LOGGER_NAME.equals(name)) {
            return name;
        }
        String symbolicName = bundle == null ? null : bundle.getSymbolicName();
        return symbolicName == null ? "osgi.log" : symbolicName;
    }

    @Override
    public void log(int level, String message) {
        log(null, level, message, null);
    }

    @Override
    public void log(int level, String message, Throwable exception) {
        log(null, level, message, exception);
    }

    @Override
    public void log(@SuppressWarnings("rawtypes") ServiceReference service, int level, String message) {
        log(service, level, message, null);
    }

    /** The old way: an int level (unknown ones are DEBUG), a message that is not a format. */
    @Override
    public void log(@SuppressWarnings("rawtypes") ServiceReference service, int level, String message,
            Throwable exception) {
        Slf4jLogger logger = bundleLogger;
        if (logger == null) {
            logger = bundleLogger = newLogger(user, Logger.ROOT_LOGGER_NAME, false);
        }
        logger.entry(level(level), message, service, exception);
    }

    /** LogService's int levels; an unknown one is DEBUG. */
    @SuppressWarnings("deprecation") // the int levels are what the old methods take
    static Level level(int level) {
        return switch (level) {
            case LOG_ERROR -> Level.ERROR;
            case LOG_WARNING -> Level.WARN;
            case LOG_INFO -> Level.INFO;
            default -> Level.DEBUG;
        };
    }
}
