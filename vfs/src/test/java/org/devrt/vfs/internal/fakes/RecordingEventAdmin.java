package org.devrt.vfs.internal.fakes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** An EventAdmin that keeps what it is given. */
public final class RecordingEventAdmin implements EventAdmin {
    public final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void postEvent(Event event) {
        events.add(event);
    }

    @Override
    public void sendEvent(Event event) {
        events.add(event);
    }

    /** "topic point" for each event, e.g. "devrt/mount/MOUNTED /mnt/sda1". */
    public List<String> summary(String property) {
        return events.stream().map(e -> e.getTopic() + " " + e.getProperty(property)).toList();
    }
}
