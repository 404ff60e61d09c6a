package org.devrt.registry.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Forwards the OSGi log to SLF4J, so that what SCR, the framework (bundle, service and framework events)
 * and users of the OSGi {@code LogService} log appears in the same output as everything else, with time,
 * level and logger; an entry about a service names the service. Which entries the OSGi log records at all is
 * set through its {@code LoggerAdmin}.
 *
 * <p>On activation the entries the log reader still holds are forwarded first, oldest first and marked with
 * their own time; then new entries as they come. Sequence numbers keep an entry from being forwarded twice.
 *
 * <p>Entries that came from SLF4J itself (a logger name under {@code org.slf4j}, or logged by an SLF4J bundle
 * other than as the subject of a framework event) are dropped: an SLF4J provider that writes to the OSGi log
 * would otherwise send them round forever.
 */
@Component(immediate = true, service = {})
public final class LogBridge {
    /** Where forwarded entries go; SLF4J in the runtime, a recorder in tests. */
    @FunctionalInterface
    interface LogSink {
        void log(String loggerName, Level level, String message, Throwable exception);
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Reference
    LogReaderService reader;

    private final LogSink sink;
    private final LogListener listener = entry -> forward(entry, false);
    /** The highest sequence number forwarded (or dropped) so far. Guarded by {@code this}. */
    private long lastSequence = -1;

    public LogBridge() {
        this(LogBridge::toSlf4j);
    }

    LogBridge(LogSink sink) {
        this.sink = sink;
    }

    @Activate
    synchronized void activate() {
        reader.addLogListener(listener);
        List<LogEntry> history = Collections.list(reader.getLog());
        Collections.reverse(history); // the reader gives the newest first
        for (LogEntry entry : history) {
            forward(entry, true);
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(listener);
    }

    private synchronized void forward(LogEntry entry, boolean fromHistory) {
        if (entry.getSequence() <= lastSequence) {
            return;
        }
        lastSequence = entry.getSequence();
        if (cameFromSlf4j(entry)) {
            return;
        }
        String message = entry.getMessage() == null ? "" : entry.getMessage();
        if (entry.getServiceReference() != null) {
            message += " " + describe(entry.getServiceReference());
        }
        if (fromHistory) {
            message = "(logged earlier, at " + TIME.format(Instant.ofEpochMilli(entry.getTime())) + ") " + message;
        }
        sink.log(loggerName(entry), level(entry), message, entry.getException());
    }

    /** "[org.devrt.device.BlockDevice] (service 42)": which service a service event is about. */
    static String describe(ServiceReference<?> service) {
        Object objectClass = service.getProperty(Constants.OBJECTCLASS);
        String names = objectClass instanceof String[] classes ? String.join(", ", classes) : String.valueOf(objectClass);
        return "[" + names + "] (service " + service.getProperty(Constants.SERVICE_ID) + ")";
    }

    /** The entry's logger name when it has one, else its bundle's symbolic name. */
    static String loggerName(LogEntry entry) {
        String name = entry.getLoggerName();
        if (name != null && !name.isEmpty()) {
            return name;
        }
        Bundle bundle = entry.getBundle();
        return bundle == null || bundle.getSymbolicName() == null ? "osgi.log" : bundle.getSymbolicName();
    }

    /** SLF4J has no AUDIT: audit entries are logged as INFO. */
    static Level level(LogEntry entry) {
        LogLevel level = entry.getLogLevel();
        if (level == null) {
            return legacyLevel(entry.getLevel());
        }
        return switch (level) {
            case AUDIT, INFO -> Level.INFO;
            case ERROR -> Level.ERROR;
            case WARN -> Level.WARN;
            case DEBUG -> Level.DEBUG;
            case TRACE -> Level.TRACE;
        };
    }

    @SuppressWarnings("deprecation") // LogService's int levels, for an entry without a LogLevel
    private static Level legacyLevel(int level) {
        return switch (level) {
            case org.osgi.service.log.LogService.LOG_ERROR -> Level.ERROR;
            case org.osgi.service.log.LogService.LOG_WARNING -> Level.WARN;
            case org.osgi.service.log.LogService.LOG_INFO -> Level.INFO;
            default -> Level.DEBUG;
        };
    }

    static boolean cameFromSlf4j(LogEntry entry) {
        String name = entry.getLoggerName();
        if (name != null && name.startsWith("Events.")) {
            return false; // the log service's record of a framework event about that bundle
        }
        if (name != null && name.startsWith("org.slf4j")) {
            return true;
        }
        Bundle bundle = entry.getBundle();
        String symbolicName = bundle == null ? null : bundle.getSymbolicName();
        return symbolicName != null && (symbolicName.startsWith("slf4j.") || symbolicName.startsWith("org.slf4j"));
    }

    private static void toSlf4j(String loggerName, Level level, String message, Throwable exception) {
        LoggerFactory.getLogger(loggerName).atLevel(level).setCause(exception).log(message);
    }
}
