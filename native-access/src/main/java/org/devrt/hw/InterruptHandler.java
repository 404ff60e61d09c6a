package org.devrt.hw;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Called when the device raises its interrupt. Implemented by drivers.
 *
 * <p>Like a handler on a shared, level-triggered line, it reads the device's interrupt cause register to learn
 * why it was called (and to acknowledge it), and must cope with being called when no cause is pending. Calls
 * for one line are never concurrent. It runs on the backend's interrupt thread: it does the minimum and hands
 * longer work to the driver's own threads.
 */
@ConsumerType
@FunctionalInterface
public interface InterruptHandler {
    void interrupt();
}
