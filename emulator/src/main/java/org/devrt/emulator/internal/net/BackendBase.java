package org.devrt.emulator.internal.net;

import java.nio.ByteBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every medium shares: the listener, the cable (fault injection), the counters, link-change reporting, and
 * the buffer rule (position and limit restored after every hand-over).
 */
abstract class BackendBase implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(BackendBase.class);
    private static final Listener NOBODY = new Listener() {
        @Override
        public void receive(ByteBuffer frame) {
        }

        @Override
        public void linkChanged(boolean up) {
        }
    };

    private final BackendCounters counters = new BackendCounters();
    private final Object linkLock = new Object();
    private volatile Listener listener = NOBODY;
    private volatile boolean cable = true;
    private volatile boolean closed;
    /** The link state the listener last heard (guarded by linkLock). */
    private boolean reportedUp;

    /** Whether the medium itself carries frames (the port is attached, the socket is open). */
    protected abstract boolean carrier();

    /** Puts the frame on the medium; returns false if it was lost (counted as dropped). */
    protected abstract boolean transmit(ByteBuffer frame);

    /** Starts the medium's own threads, if any; frames may flow from now on. */
    protected void started() {
    }

    /** Releases the medium (leaves the switch, closes the socket, joins threads). Called once. */
    protected abstract void release();

    @Override
    public final void start(Listener newListener) {
        listener = newListener;
        started();
        linkMayHaveChanged();
    }

    @Override
    public final void send(ByteBuffer frame) {
        if (!isLinkUp()) {
            counters.dropped();
            return;
        }
        int position = frame.position();
        int limit = frame.limit();
        try {
            if (transmit(frame)) {
                counters.sent();
            } else {
                counters.dropped();
            }
        } finally {
            frame.limit(limit).position(position);
        }
    }

    /** Hands a frame from the medium to the listener, unless the link is down. */
    protected final void deliver(ByteBuffer frame) {
        if (!isLinkUp()) {
            counters.dropped();
            return;
        }
        counters.received();
        int position = frame.position();
        int limit = frame.limit();
        try {
            listener.receive(frame);
        } catch (RuntimeException e) {
            LOG.error("{}: the receiver of a frame failed; the frame is lost", description(), e);
        } finally {
            frame.limit(limit).position(position);
        }
    }

    @Override
    public final boolean isLinkUp() {
        return cable && !closed && carrier();
    }

    @Override
    public final void setCableConnected(boolean connected) {
        cable = connected;
        linkMayHaveChanged();
    }

    /** Tells the listener when the link state differs from what it last heard. */
    protected final void linkMayHaveChanged() {
        synchronized (linkLock) {
            boolean up = isLinkUp();
            if (up != reportedUp && !closed) {
                reportedUp = up;
                listener.linkChanged(up);
            }
        }
    }

    @Override
    public final BackendCounters counters() {
        return counters;
    }

    protected final boolean isClosed() {
        return closed;
    }

    @Override
    public final void close() {
        synchronized (linkLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        release();
    }

    @Override
    public String toString() {
        return description();
    }
}
