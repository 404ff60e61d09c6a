package org.devrt.emulator.internal.net;

import java.nio.ByteBuffer;

/**
 * What an emulated NIC's cable is plugged into: a virtual switch, a UDP link, or nothing. Frames carry no FCS.
 *
 * <p>Life: made (resources bound, so that a bad option fails the plug), {@link #start} (frames and link changes start
 * to flow to the listener), {@link #close} (idempotent; nothing is delivered after it returns). Thread-safe.
 */
public interface Backend extends AutoCloseable {
    /** Receives the frames and the link changes of one backend; see {@link FrameSink} for the buffer's rules. */
    interface Listener extends FrameSink {
        /** The link went up or down; called on the thread that changed it. */
        void linkChanged(boolean up);
    }

    /** Starts delivering to {@code listener}. Called once. */
    void start(Listener listener);

    /**
     * Sends the frame between position and limit, on the caller's thread (which may deliver to another NIC at once);
     * position and limit are unchanged on return. Dropped, and counted, while the link is down.
     */
    void send(ByteBuffer frame);

    /** Whether frames can flow: the cable is connected and the medium is there. */
    boolean isLinkUp();

    /** Fault injection: pulls the cable (link down both ways) or plugs it back; the listener hears the change. */
    void setCableConnected(boolean connected);

    /** One line for people, e.g. {@code switch:default port 0000:00:03.0}. */
    String description();

    /** Frames sent, received, and dropped because the link was down, for diagnostics. */
    BackendCounters counters();

    @Override
    void close();
}
