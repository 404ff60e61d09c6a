package org.devrt.pci;

import org.osgi.annotation.versioning.ConsumerType;

/** A driver attached to one function. Implemented by drivers. */
@ConsumerType
public interface DriverAttachment {
    /**
     * Detaches: unregister the device services, quiesce the device (stop DMA, mask interrupts), release its
     * resources. Called once, after the consumers of the device services have been told they are going. Must
     * not throw and must return promptly even if the device no longer answers (surprise removal).
     */
    void detach();
}
