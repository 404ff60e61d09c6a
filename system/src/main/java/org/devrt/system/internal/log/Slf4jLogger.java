package org.devrt.system.internal.log;

import java.util.Arrays;
import java.util.IllegalFormatException;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.LoggerConsumer;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.MessageFormatter;

/**
 * An OSGi {@link org.osgi.service.log.Logger} (and {@link FormatterLogger}) that writes to an SLF4J logger: a
 * level check is SLF4J's, so a disabled debug line costs a field read, and a line is formatted only when it is
 * written.
 *
 * <p>Arguments as the Log Service specification says (101.2.3): if the last argument is a {@link Throwable} or a
 * {@link ServiceReference}, it is the entry's exception or service, and so is the one before it if it is of the
 * other of the two types; those are not message arguments. A message names its service after the text, as
 * "[objectClass] (service id)". The format is SLF4J's "{}" placeholders (with the same escapes as the
 * specification's), or {@link String#format} for a {@code FormatterLogger}. SLF4J has no AUDIT level: audit
 * entries are written as INFO.
 */
final class Slf4jLogger implements FormatterLogger {
    private final String name;
    private final Logger out;
    private final boolean printf;

    /**
     * @param name the OSGi logger name, as {@link #getName} gives it
     * @param out where the entries go
     * @param printf whether formats are {@link String#format}'s ({@code FormatterLogger}) rather than "{}"
     */
    Slf4jLogger(String name, Logger out, boolean printf) {
        this.name = name;
        this.out = out;
        this.printf = printf;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isTraceEnabled() {
        return out.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return out.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return out.isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return out.isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return out.isErrorEnabled();
    }

    @Override
    public void trace(String message) {
        plain(Level.TRACE, message);
    }

    @Override
    public void trace(String format, Object arg) {
        formatted(Level.TRACE, format, arg);
    }

    @Override
    public void trace(String format, Object arg1, Object arg2) {
        formatted(Level.TRACE, format, arg1, arg2);
    }

    @Override
    public void trace(String format, Object... arguments) {
        formatted(Level.TRACE, format, arguments);
    }

    @Override
    public <E extends Exception> void trace(LoggerConsumer<E> consumer) throws E {
        consume(Level.TRACE, consumer);
    }

    @Override
    public void debug(String message) {
        plain(Level.DEBUG, message);
    }

    @Override
    public void debug(String format, Object arg) {
        formatted(Level.DEBUG, format, arg);
    }

    @Override
    public void debug(String format, Object arg1, Object arg2) {
        formatted(Level.DEBUG, format, arg1, arg2);
    }

    @Override
    public void debug(String format, Object... arguments) {
        formatted(Level.DEBUG, format, arguments);
    }

    @Override
    public <E extends Exception> void debug(LoggerConsumer<E> consumer) throws E {
        consume(Level.DEBUG, consumer);
    }

    @Override
    public void info(String message) {
        plain(Level.INFO, message);
    }

    @Override
    public void info(String format, Object arg) {
        formatted(Level.INFO, format, arg);
    }

    @Override
    public void info(String format, Object arg1, Object arg2) {
        formatted(Level.INFO, format, arg1, arg2);
    }

    @Override
    public void info(String format, Object... arguments) {
        formatted(Level.INFO, format, arguments);
    }

    @Override
    public <E extends Exception> void info(LoggerConsumer<E> consumer) throws E {
        consume(Level.INFO, consumer);
    }

    @Override
    public void warn(String message) {
        plain(Level.WARN, message);
    }

    @Override
    public void warn(String format, Object arg) {
        formatted(Level.WARN, format, arg);
    }

    @Override
    public void warn(String format, Object arg1, Object arg2) {
        formatted(Level.WARN, format, arg1, arg2);
    }

    @Override
    public void warn(String format, Object... arguments) {
        formatted(Level.WARN, format, arguments);
    }

    @Override
    public <E extends Exception> void warn(LoggerConsumer<E> consumer) throws E {
        consume(Level.WARN, consumer);
    }

    @Override
    public void error(String message) {
        plain(Level.ERROR, message);
    }

    @Override
    public void error(String format, Object arg) {
        formatted(Level.ERROR, format, arg);
    }

    @Override
    public void error(String format, Object arg1, Object arg2) {
        formatted(Level.ERROR, format, arg1, arg2);
    }

    @Override
    public void error(String format, Object... arguments) {
        formatted(Level.ERROR, format, arguments);
    }

    @Override
    public <E extends Exception> void error(LoggerConsumer<E> consumer) throws E {
        consume(Level.ERROR, consumer);
    }

    @Override
    public void audit(String message) {
        plain(Level.INFO, message);
    }

    @Override
    public void audit(String format, Object arg) {
        formatted(Level.INFO, format, arg);
    }

    @Override
    public void audit(String format, Object arg1, Object arg2) {
        formatted(Level.INFO, format, arg1, arg2);
    }

    @Override
    public void audit(String format, Object... arguments) {
        formatted(Level.INFO, format, arguments);
    }

    /** A message without arguments is not a format: written as it is. */
    private void plain(Level level, String message) {
        entry(level, message, null, null);
    }

    /** Writes {@code message} as it is, with its service and exception (either may be null), if the level is on. */
    void entry(Level level, String message, ServiceReference<?> service, Throwable exception) {
        if (out.isEnabledForLevel(level)) {
            write(level, message, service, exception);
        }
    }

    private void formatted(Level level, String format, Object... arguments) {
        if (!out.isEnabledForLevel(level)) {
            return;
        }
        Object[] args = arguments == null ? new Object[0] : arguments;
        int count = args.length;
        Throwable exception = null;
        ServiceReference<?> service = null;
        for (int taken = 0; taken < 2 && count > 0; taken++) {
            Object last = args[count - 1];
            if (exception == null && last instanceof Throwable t) {
                exception = t;
            } else if (service == null && last instanceof ServiceReference<?> s) {
                service = s;
            } else {
                break;
            }
            count--;
        }
        Object[] messageArgs = count == args.length ? args : Arrays.copyOf(args, count);
        write(level, format(format, messageArgs), service, exception);
    }

    private String format(String format, Object[] args) {
        if (format == null || args.length == 0) {
            return format;
        }
        if (!printf) {
            return MessageFormatter.basicArrayFormat(format, args);
        }
        try {
            return String.format(format, args);
        } catch (IllegalFormatException e) {
            return format + " " + Arrays.toString(args) + " (" + e + ")";
        }
    }

    private <E extends Exception> void consume(Level level, LoggerConsumer<E> consumer) throws E {
        if (out.isEnabledForLevel(level)) {
            consumer.accept(this);
        }
    }

    private void write(Level level, String message, ServiceReference<?> service, Throwable exception) {
        String text = message == null ? "" : message;
        if (service != null) {
            text = text + " " + describe(service);
        }
        switch (level) {
            case TRACE -> out.trace(text, exception);
            case DEBUG -> out.debug(text, exception);
            case INFO -> out.info(text, exception);
            case WARN -> out.warn(text, exception);
            case ERROR -> out.error(text, exception);
        }
    }

    /** "[org.devrt.device.BlockDevice] (service 42)": which service an entry is about. */
    static String describe(ServiceReference<?> service) {
        Object objectClass = service.getProperty(Constants.OBJECTCLASS);
        String names = objectClass instanceof String[] classes ? String.join(", ", classes) : String.valueOf(objectClass);
        return "[" + names + "] (service " + service.getProperty(Constants.SERVICE_ID) + ")";
    }

    @Override
    public String toString() {
        return (printf ? "FormatterLogger " : "Logger ") + name + " -> SLF4J " + out.getName();
    }
}
