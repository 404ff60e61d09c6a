package org.devrt.hw;

import org.osgi.annotation.versioning.ProviderType;

/** The interrupt line of a PCI function (INTx, or a single message-signalled vector). */
@ProviderType
public interface InterruptLine {
    /** The line number as the platform names it (the config space's Interrupt Line for INTx). */
    int number();

    /**
     * Attaches the handler; from now on it is called when the device interrupts.
     *
     * @throws IllegalStateException if a handler is already attached
     * @throws HandleRevokedException if the driver was detached
     */
    void attach(InterruptHandler handler);

    /**
     * Attaches a handler that may also be called on a thread whose register write made the device interrupt, once
     * that write has been carried out and before it returns, as a CPU takes an interrupt between two instructions:
     * the interrupt then costs no thread hand-off. The handler must therefore never wait for a lock or a condition
     * that its driver may hold or owe across a register write of this or any other device (a handler that only
     * takes locks with tryLock, or none, qualifies). Calls for one line are still never concurrent, and never nested
     * in one another. A backend that cannot do this calls the handler as {@link #attach} does, which is the default.
     *
     * @throws IllegalStateException if a handler is already attached
     * @throws HandleRevokedException if the driver was detached
     * @since 1.2
     */
    default void attachInline(InterruptHandler handler) {
        attach(handler);
    }

    /** Detaches the handler, waiting for a call in progress to end. Idempotent. */
    void detach();
}
