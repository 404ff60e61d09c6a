package org.devrt.emulator.internal.net;

import java.nio.ByteBuffer;

/** {@code backend=none}: no cable. The link is down; every frame sent is dropped. */
final class NoBackend extends BackendBase {
    @Override
    protected boolean carrier() {
        return false;
    }

    @Override
    protected boolean transmit(ByteBuffer frame) {
        return false;
    }

    @Override
    protected void release() {
    }

    @Override
    public String description() {
        return "none (no cable)";
    }
}
