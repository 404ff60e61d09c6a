package org.devrt.pci;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.devrt.hw.DmaMemory;
import org.devrt.hw.InterruptLine;
import org.devrt.hw.RegisterIo;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One function on a {@link PciBus}: its identity read from configuration space, and, when the backend can give
 * a driver the device, its registers, DMA memory and interrupt line.
 *
 * <p>The access handles ({@link #bar}, {@link #dmaMemory}, {@link #interruptLine}) belong to the driver the
 * device manager attached; they are revoked when it is detached or the function is unplugged.
 */
@ProviderType
public interface PciFunction {
    /** The bus this function sits on ({@link PciBus#id()}). */
    String busId();

    PciAddress address();

    int vendorId();

    int deviceId();

    int subsystemVendorId();

    int subsystemId();

    int revision();

    ClassCode classCode();

    /** Interrupt pin: 0 none, 1-4 INTA#-INTD#. */
    int interruptPin();

    /** The implemented BARs, in index order. */
    List<BarInfo> bars();

    /** The configuration space. */
    ConfigSpace config();

    /** Capability ids found by walking the capability list (e.g. 0x01 power management, 0x05 MSI), in list order. */
    List<Integer> capabilities();

    /** The device's serial number when it has one (PCI Express Device Serial Number), used in its device id. */
    Optional<String> serialNumber();

    /** The host kernel driver bound to the function, for host backends; empty otherwise. */
    Optional<String> kernelDriver();

    /**
     * Whether this backend can give a driver the device's registers, DMA memory and interrupts. False for the
     * read-only host backend: its functions are listed and matched, never attached.
     */
    boolean isAttachable();

    /**
     * The register window of BAR {@code index}.
     *
     * @throws IOException if the BAR is not implemented or the backend cannot map it (the message says which)
     */
    RegisterIo bar(int index) throws IOException;

    /** The DMA allocator for this function. @throws IOException if the backend has no DMA access */
    DmaMemory dmaMemory() throws IOException;

    /** The function's interrupt line. @throws IOException if the backend delivers no interrupts */
    InterruptLine interruptLine() throws IOException;

    /**
     * Grants one driver access to the device. The grant's {@link AccessGrant#function() function} is the view the
     * driver is given: closing the grant revokes every register window, DMA region and interrupt handler obtained
     * through it, so a detached or stale driver can no longer reach the device. One grant is live at a time.
     *
     * @throws IOException if the function is not {@link #isAttachable() attachable} or a grant is live
     */
    default AccessGrant grantAccess() throws IOException {
        throw new IOException("function " + address() + " on bus " + busId() + " cannot be driven by devrt");
    }

    /** Access to a function, held by one driver; see {@link PciFunction#grantAccess()}. */
    interface AccessGrant extends AutoCloseable {
        /** The view of the function that the driver uses. */
        PciFunction function();

        /** Revokes the access. Idempotent. */
        @Override
        void close();
    }
}
