package org.devrt.device;

/**
 * Service properties that every device service carries, whatever its type.
 *
 * <p>A driver registers each device service with at least {@link #DEVICE_ID}, {@link #DEVICE_TYPE} and
 * {@link #DRIVER_ID}; {@link #PCI_ADDRESS} is present when the device sits on a PCI bus. The device-service
 * registry recognises a device service by the presence of {@link #DEVICE_ID}.
 */
public final class DeviceService {
    /** Stable device id (String): the same across restarts and re-plugs, e.g. {@code emulated/0000:00:1f.2/port0}. */
    public static final String DEVICE_ID = "devrt.device.id";
    /** Device type (String): {@link #TYPE_BLOCK} or {@link #TYPE_NETWORK}, or another type's name. */
    public static final String DEVICE_TYPE = "devrt.device.type";
    /** PCI address of the function that carries the device (String, {@code dddd:bb:dd.f}). */
    public static final String PCI_ADDRESS = "devrt.device.pci";
    /** Id of the driver that provides the service (String), as declared in its {@link DriverNamespace} capability. */
    public static final String DRIVER_ID = "devrt.driver.id";
    /** Human-readable description (String), e.g. the disk model or NIC name. */
    public static final String DESCRIPTION = "devrt.device.description";

    /** {@link #DEVICE_TYPE} of a {@link BlockDevice}. */
    public static final String TYPE_BLOCK = "block";
    /** {@link #DEVICE_TYPE} of a {@link NetworkDevice}. */
    public static final String TYPE_NETWORK = "network";

    /** LDAP filter that matches every device service. */
    public static final String FILTER_ANY = "(" + DEVICE_ID + "=*)";

    private DeviceService() {
    }
}
