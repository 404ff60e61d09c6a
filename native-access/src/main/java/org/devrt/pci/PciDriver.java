package org.devrt.pci;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The contract between the device manager and a driver. A driver bundle registers one {@code PciDriver}
 * service with the service property {@code devrt.driver.id} set to the id its {@code devrt.driver} manifest
 * capability declares; the device manager, having matched a function against that capability, calls
 * {@link #attach}.
 *
 * <p>Attach follows the three steps of a driver's bring-up: check that it really is a device it drives (probe),
 * take the resources (BARs, DMA memory, interrupt), initialise the device; then register the device services
 * with the properties {@link DriverContext#serviceProperties()} gives. It runs under a time-out set by the
 * device manager; an exception fails the attach (the device manager retries with back-off, then quarantines
 * the device).
 */
@ConsumerType
public interface PciDriver {
    /**
     * Attaches to {@code function}.
     *
     * @return the attachment, through which the device manager will detach the driver
     * @throws Exception if the device cannot be brought up; the message names what failed
     */
    DriverAttachment attach(PciFunction function, DriverContext context) throws Exception;
}
