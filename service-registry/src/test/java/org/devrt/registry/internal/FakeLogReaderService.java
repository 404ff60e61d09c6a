package org.devrt.registry.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/** A log reader with a history (newest first, as the specification says) and listeners called synchronously. */
final class FakeLogReaderService implements LogReaderService {
    final List<LogListener> listeners = new ArrayList<>();
    private final List<LogEntry> newestFirst = new ArrayList<>();

    /** Logs an entry: it joins the history and goes to the listeners. */
    void log(LogEntry entry) {
        newestFirst.add(0, entry);
        List.copyOf(listeners).forEach(listener -> listener.logged(entry));
    }

    @Override
    public void addLogListener(LogListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeLogListener(LogListener listener) {
        listeners.remove(listener);
    }

    @Override
    public Enumeration<LogEntry> getLog() {
        return Collections.enumeration(List.copyOf(newestFirst));
    }
}
