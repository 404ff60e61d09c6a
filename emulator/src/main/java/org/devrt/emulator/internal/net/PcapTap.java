package org.devrt.emulator.internal.net;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pcap=<file>}: a backend in front of another that writes every frame it carries, both directions, to a
 * capture file. Frames the inner backend drops (link down) are not written, as a capture on a down interface shows
 * nothing. A write error stops the capture, once, with a warning; the link goes on.
 */
final class PcapTap implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(PcapTap.class);

    private final Backend inner;
    private final PcapWriter writer;
    private volatile boolean failed;

    PcapTap(Backend inner, PcapWriter writer) {
        this.inner = inner;
        this.writer = writer;
    }

    @Override
    public void start(Listener listener) {
        inner.start(new Listener() {
            @Override
            public void receive(ByteBuffer frame) {
                capture(frame);
                listener.receive(frame);
            }

            @Override
            public void linkChanged(boolean up) {
                listener.linkChanged(up);
            }
        });
    }

    @Override
    public void send(ByteBuffer frame) {
        if (inner.isLinkUp()) {
            capture(frame);
        }
        inner.send(frame);
    }

    private void capture(ByteBuffer frame) {
        if (failed) {
            return;
        }
        try {
            writer.write(frame);
        } catch (IOException e) {
            failed = true;
            LOG.warn("capture to {} stopped: {}", writer.path(), e.toString());
        }
    }

    @Override
    public boolean isLinkUp() {
        return inner.isLinkUp();
    }

    @Override
    public void setCableConnected(boolean connected) {
        inner.setCableConnected(connected);
    }

    @Override
    public String description() {
        return inner.description() + ", capture " + writer.path();
    }

    @Override
    public BackendCounters counters() {
        return inner.counters();
    }

    @Override
    public void close() {
        inner.close();
        try {
            writer.close();
        } catch (IOException e) {
            LOG.warn("closing capture {} failed: {}", writer.path(), e.toString());
        }
    }

    Backend inner() {
        return inner;
    }

    @Override
    public String toString() {
        return description();
    }
}
