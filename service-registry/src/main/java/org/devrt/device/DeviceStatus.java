package org.devrt.device;

import java.util.Objects;

/**
 * A device's id, state and, when it is not {@link DeviceState#BOUND}, a reason a person can act on.
 *
 * @param deviceId the stable device id
 * @param state the lifecycle state
 * @param driverId the driver bound or being bound, or "" when there is none
 * @param reason why the device is in this state ("" when bound), e.g. "driver bundle uninstalled by the user;
 *        'bind emulated/0000:00:03.0' to attach it again"
 */
public record DeviceStatus(String deviceId, DeviceState state, String driverId, String reason) {
    public DeviceStatus {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(state, "state");
        driverId = driverId == null ? "" : driverId;
        reason = reason == null ? "" : reason;
    }
}
