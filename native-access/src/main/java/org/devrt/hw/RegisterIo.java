package org.devrt.hw;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A window of 32-bit device registers: one BAR of a PCI function. Offsets are bytes from the start of the
 * window and must be 4-aligned and inside {@link #size()}. Accesses are not cached, not combined and not
 * reordered: each call is one access to the device, with the side effects the device defines (a read may
 * clear bits, a write may start work). Thread-safe.
 *
 * <p>Drivers normally use it through {@link Registers}, which adds names, read-modify-write helpers and
 * bounded waits.
 *
 * @throws HandleRevokedException from any method once the driver that holds it has been detached
 */
@ProviderType
public interface RegisterIo {
    /** Size of the window in bytes. */
    long size();

    /** One 32-bit read at {@code offset}. */
    int read32(int offset);

    /** One 32-bit write of {@code value} at {@code offset}. */
    void write32(int offset, int value);
}
