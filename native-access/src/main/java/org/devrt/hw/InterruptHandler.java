package org.devrt.hw;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Called when the device raises its interrupt. Implemented by drivers.
 *
 * <p>Like a handler on a shared, level-triggered line, it reads the device's interrupt cause register to learn
 * why it was called (and to acknowledge it), and must cope with being called when no cause is pending. Calls
 * for one line are never concurrent. It runs on the backend's interrupt thread, or, if it was attached with
 * {@link InterruptLine#attachInline}, possibly on the thread whose register write raised the interrupt: it does
 * little and hands longer work to the driver's own threads, or does it at once when nothing else is doing it.
 */
@ConsumerType
@FunctionalInterface
public interface InterruptHandler {
    void interrupt();
}
