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

    /** Detaches the handler, waiting for a call in progress to end. Idempotent. */
    void detach();
}
