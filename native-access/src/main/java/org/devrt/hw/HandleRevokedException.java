package org.devrt.hw;

/**
 * A hardware handle (register window, DMA region, interrupt line) was used after it was revoked: the driver
 * holding it was detached, or the device went away. The access did not reach the device.
 */
public class HandleRevokedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public HandleRevokedException(String message) {
        super(message);
    }
}
