package org.devrt.emulator.internal;

import java.util.Objects;

import org.devrt.hw.InterruptHandler;
import org.devrt.hw.InterruptLine;
import org.devrt.pci.ConfigSpace;

/**
 * A driver's handle on the function's interrupt line. Revoking the handles detaches the handler attached through
 * it; a {@link #detach()} after that does nothing, so a driver's own detach code need not care about the order.
 */
final class LineHandle implements InterruptLine {
    private final Handles handles;
    private final IrqLine irq;
    private boolean attached;

    LineHandle(Handles handles, IrqLine irq) {
        this.handles = handles;
        this.irq = irq;
    }

    @Override
    public int number() {
        handles.checkLive("interrupt line");
        return handles.function().config().read8(ConfigSpace.INTERRUPT_LINE);
    }

    @Override
    public void attach(InterruptHandler handler) {
        attach(handler, false);
    }

    @Override
    public void attachInline(InterruptHandler handler) {
        attach(handler, true);
    }

    private synchronized void attach(InterruptHandler handler, boolean inline) {
        handles.checkLive("interrupt line");
        irq.attach(Objects.requireNonNull(handler, "handler"), inline);
        attached = true;
    }

    @Override
    public void detach() {
        synchronized (this) {
            if (!attached) {
                return;
            }
            attached = false;
        }
        irq.detach();
    }
}
