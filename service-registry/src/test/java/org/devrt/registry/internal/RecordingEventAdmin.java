package org.devrt.registry.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** An EventAdmin that keeps what is posted. */
final class RecordingEventAdmin implements EventAdmin {
    final List<Event> posted = new CopyOnWriteArrayList<>();

    @Override
    public void postEvent(Event event) {
        posted.add(event);
    }

    @Override
    public void sendEvent(Event event) {
        throw new AssertionError("the registry must post (asynchronously), not send: " + event);
    }

    List<String> topics() {
        return posted.stream().map(Event::getTopic).toList();
    }
}
