package org.devrt.ethernet.e1000;

import org.devrt.hw.InterruptHandler;
import org.devrt.hw.InterruptLine;

/** An interrupt line a test fires by hand. */
final class FakeInterruptLine implements InterruptLine {
    volatile InterruptHandler handler;
    volatile int detaches;

    @Override
    public int number() {
        return 11;
    }

    @Override
    public synchronized void attach(InterruptHandler h) {
        if (handler != null) {
            throw new IllegalStateException("a handler is attached");
        }
        handler = h;
    }

    @Override
    public synchronized void detach() {
        handler = null;
        detaches++;
    }

    /** Calls the handler, as the backend's interrupt thread would. */
    synchronized void fire() {
        if (handler != null) {
            handler.interrupt();
        }
    }
}
