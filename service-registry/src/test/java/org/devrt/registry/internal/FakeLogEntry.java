package org.devrt.registry.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/** A log entry with the fields the bridge reads. */
record FakeLogEntry(long sequence, Bundle bundle, String loggerName, LogLevel logLevel, String message,
        Throwable exception, ServiceReference<?> service) implements LogEntry {

    FakeLogEntry(long sequence, Bundle bundle, String loggerName, LogLevel logLevel, String message,
            Throwable exception) {
        this(sequence, bundle, loggerName, logLevel, message, exception, null);
    }

    @Override
    public Bundle getBundle() {
        return bundle;
    }

    @Override
    public ServiceReference<?> getServiceReference() {
        return service;
    }

    @Override
    public int getLevel() {
        return 0; // the bridge reads the LogLevel
    }

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public Throwable getException() {
        return exception;
    }

    @Override
    public long getTime() {
        return 0;
    }

    @Override
    public LogLevel getLogLevel() {
        return logLevel;
    }

    @Override
    public String getLoggerName() {
        return loggerName;
    }

    @Override
    public long getSequence() {
        return sequence;
    }

    @Override
    public String getThreadInfo() {
        return "main";
    }

    @Override
    public StackTraceElement getLocation() {
        return null;
    }
}
