package org.devrt.pci;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told when functions appear on or leave a {@link PciBus}. Calls of {@code functionAdded} and
 * {@code functionRemoved} for one bus are never concurrent.
 */
@ConsumerType
public interface PciBusListener {
    void functionAdded(PciFunction function);

    /**
     * The function is about to be removed in an orderly way (as a hot-plug controller's attention button asks the OS
     * to let a slot go): its driver can detach now, while the function still answers (a disk's cache is flushed to
     * it), and the call returns once it has; {@link #functionRemoved} follows. A surprise removal skips this. Called
     * without the bus's lock, on the thread removing the function.
     */
    default void functionRemoving(PciFunction function) {
    }

    /** The function is gone; its access handles are already revoked. */
    void functionRemoved(PciFunction function);
}
