package org.devrt.pci;

import org.osgi.annotation.versioning.ConsumerType;

/** Told when functions appear on or leave a {@link PciBus}. Calls for one bus are never concurrent. */
@ConsumerType
public interface PciBusListener {
    void functionAdded(PciFunction function);

    /** The function is gone; its access handles are already revoked. */
    void functionRemoved(PciFunction function);
}
