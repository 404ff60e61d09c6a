package org.devrt.emulator.internal;

import java.util.Map;
import java.util.TreeMap;

import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.hw.HandleRevokedException;

/**
 * The access handles one holder (the driver now attached) got from a function: a register window per BAR, the
 * DMA memory with its regions, and the interrupt line. Revoked together: afterwards every access through any of
 * them throws {@link HandleRevokedException}, and the function hands the next holder a new set.
 */
final class Handles {
    private final EmulatedFunction function;
    private final Map<Integer, RegisterWindow> windows = new TreeMap<>();
    private final FunctionDma dma;
    private final LineHandle line;
    private volatile String revokedAs;

    Handles(EmulatedFunction function, PhysicalMemory memory, FunctionHost owner, IrqLine irq) {
        this.function = function;
        for (BarSpec bar : function.barSpecs()) {
            windows.put(bar.index(), new RegisterWindow(function, this, bar));
        }
        this.dma = new FunctionDma(this, memory, owner);
        this.line = new LineHandle(this, irq);
    }

    /** The window of BAR {@code index}, or null when the BAR is not implemented. */
    RegisterWindow window(int index) {
        return windows.get(index);
    }

    FunctionDma dma() {
        return dma;
    }

    LineHandle line() {
        return line;
    }

    EmulatedFunction function() {
        return function;
    }

    /**
     * @throws HandleRevokedException naming {@code what} and why, if the handles are revoked
     */
    void checkLive(Object what) {
        String reason = revokedAs;
        if (reason != null) { // the message is built only on failure: this check is on every register access
            throw new HandleRevokedException(what + " handle revoked: " + function.address() + " was " + reason);
        }
    }

    boolean isRevoked() {
        return revokedAs != null;
    }

    /**
     * First step of a revocation: from now on every access throws; detaches the interrupt handler, waiting for a
     * call in progress. The caller then quiesces the device and calls {@link #freeDma()}.
     *
     * @param reason {@code detached} or {@code unplugged}
     */
    void revoke(String reason) {
        revokedAs = reason;
        line.detach();
    }

    /** Last step of a revocation, once the device does no more DMA: frees every region. */
    void freeDma() {
        dma.revoke();
    }
}
