package org.devrt.pci;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** What the device manager tells a driver about the device it attaches to. */
@ProviderType
public interface DriverContext {
    /** The device's stable id, e.g. {@code emulated/0000:00:1f.2} (bus, address and, where the hardware has one, serial). */
    String deviceId();

    /**
     * The properties every device service of this device carries ({@code devrt.device.id},
     * {@code devrt.device.pci}, {@code devrt.driver.id}); the driver adds the type and its own, and for a
     * device with several units (disks on ports) extends the device id, e.g. {@code emulated/0000:00:1f.2/port0}.
     */
    Map<String, Object> serviceProperties();

    /**
     * Reports what the driver could not bring up of a device it attaches or has attached (a disk on one port that
     * does not answer, a port left alone): the device stays bound, and {@code devices}, {@code why}, {@code diag}
     * and the boot banner show the text as its problem until the driver reports another, or "" (nothing wrong),
     * or detaches. Without it such a part of a device went missing with no word beside a line in the log.
     *
     * @param problem one line, or "" to clear
     */
    void problem(String problem);
}
