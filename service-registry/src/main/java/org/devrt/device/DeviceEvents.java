package org.devrt.device;

/**
 * EventAdmin topics posted by devrt bundles, and the event properties they carry.
 *
 * <p>Every topic lives under {@code devrt/}; subscribe to {@code devrt/*} for all of them. Device events
 * carry {@link #DEVICE_ID}; driver events also {@link #DRIVER_ID}; service events also {@link #SERVICE_ID}
 * and {@link #DEVICE_TYPE}.
 */
public final class DeviceEvents {
    /** A device appeared on a bus. */
    public static final String DEVICE_ADDED = "devrt/device/ADDED";
    /** A device left its bus; its record is gone. */
    public static final String DEVICE_REMOVED = "devrt/device/REMOVED";
    /** A device changed state; carries {@link #STATE} and {@link #REASON}. */
    public static final String DEVICE_STATE = "devrt/device/STATE";
    /** A driver attached to a device. */
    public static final String DRIVER_ATTACHED = "devrt/driver/ATTACHED";
    /** A driver detached from a device. */
    public static final String DRIVER_DETACHED = "devrt/driver/DETACHED";
    /** A device service was registered. */
    public static final String SERVICE_AVAILABLE = "devrt/service/AVAILABLE";
    /** A device service was unregistered. */
    public static final String SERVICE_GONE = "devrt/service/GONE";
    /** A network device's link went up or down; carries {@link #LINK_UP}. */
    public static final String LINK = "devrt/device/LINK";
    /** A volume was mounted; carries {@link #MOUNT_POINT}. */
    public static final String MOUNTED = "devrt/mount/MOUNTED";
    /** A volume was unmounted; carries {@link #MOUNT_POINT}. */
    public static final String UNMOUNTED = "devrt/mount/UNMOUNTED";
    /** A network interface came up; carries {@link #INTERFACE}. */
    public static final String INTERFACE_UP = "devrt/interface/UP";
    /** A network interface went down; carries {@link #INTERFACE}. */
    public static final String INTERFACE_DOWN = "devrt/interface/DOWN";

    /** Event property: the device id (String). */
    public static final String DEVICE_ID = DeviceService.DEVICE_ID;
    /** Event property: the driver id (String). */
    public static final String DRIVER_ID = DeviceService.DRIVER_ID;
    /** Event property: the device type (String). */
    public static final String DEVICE_TYPE = DeviceService.DEVICE_TYPE;
    /** Event property: the OSGi service id of a device service (Long). */
    public static final String SERVICE_ID = "service.id";
    /** Event property: the {@link DeviceState} name (String). */
    public static final String STATE = "devrt.state";
    /** Event property: the reason for a state (String). */
    public static final String REASON = "devrt.reason";
    /** Event property: link state (Boolean). */
    public static final String LINK_UP = "devrt.link.up";
    /** Event property: a mount point (String). */
    public static final String MOUNT_POINT = "devrt.mount.point";
    /** Event property: a network interface name (String). */
    public static final String INTERFACE = "devrt.interface";

    private DeviceEvents() {
    }
}
