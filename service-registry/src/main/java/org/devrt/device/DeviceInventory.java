package org.devrt.device;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The device manager's view of every device it knows: provided by the device manager, read by shells, tests
 * and other bundles. State changes are also posted as {@link DeviceEvents#DEVICE_STATE} events.
 */
@ProviderType
public interface DeviceInventory {
    /** Every device, in id order. */
    List<DeviceStatus> devices();

    /** One device. */
    Optional<DeviceStatus> device(String deviceId);

    /**
     * Asks for a driver to be attached: clears a user's earlier unbind or uninstall and a quarantine, and
     * matches the device again (installing the driver from the repository when needed). Returns at once.
     *
     * @throws IllegalArgumentException if there is no such device
     */
    void bind(String deviceId);

    /**
     * Detaches the device's driver and remembers, across restarts, that the user wants it unbound.
     *
     * @throws IllegalArgumentException if there is no such device
     */
    void unbind(String deviceId);
}
