package org.devrt.device;

import java.io.IOException;

/**
 * The device behind a handle or a service has gone: unplugged, its driver detached or uninstalled.
 * The operation did not happen (or, for a write in flight, did not complete).
 */
public class DeviceGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    public DeviceGoneException(String message) {
        super(message);
    }
}
