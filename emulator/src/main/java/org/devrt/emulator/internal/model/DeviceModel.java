package org.devrt.emulator.internal.model;

import java.util.List;
import java.util.Map;

/**
 * A register-level model of one PCI function.
 *
 * <p>The bus calls {@link #read32}, {@link #write32} and {@link #reset} one at a time for a function (under the
 * function's lock), with offsets already checked: 4-aligned and inside the BAR. A model dispatches each offset to
 * a datasheet-named register and states its semantics there (read-only, write-1-to-clear, doorbell). An offset it
 * does not know is logged at DEBUG, reads as 0 and ignores writes: never fatal. A model with threads of its own
 * (a disk or a network backend) synchronises them with these calls itself.
 *
 * <p>A model must not throw: a device error is a status bit the driver can read. Should it throw anyway, the bus
 * logs the error and the access behaves as a master abort (reads return all ones).
 */
public interface DeviceModel {
    /** Who the function is: its configuration-space ids. Constant for the model's life. */
    ModelIdentity identity();

    /** The implemented BARs, in index order. Constant for the model's life. */
    List<BarSpec> bars();

    /** One 32-bit register read at {@code offset} of BAR {@code bar}. */
    int read32(int bar, int offset);

    /** One 32-bit register write. */
    void write32(int bar, int offset, int value);

    /**
     * Called on the writing thread right after {@link #write32} returned and the bus released the function's lock:
     * where a model runs the work a doorbell write started (a disk command), as an emulator's vCPU thread runs an
     * emulated device's I/O after the MMIO exit. Concurrent with other accesses and with {@link #reset}, so the
     * model synchronises it itself; it must not throw. Nothing by default.
     */
    default void afterWrite() {
    }

    /**
     * Returns every register to its power-on value and stops all work: after it returns the model does no DMA
     * and holds its interrupt low until a driver starts it again. Called when the driver's handles are revoked.
     */
    void reset();

    /** The function was unplugged: stop all work and release backing resources (files, sockets). */
    void close();

    /**
     * What a person can do to the running device, as to the hardware (pull a disk from its port, pull the cable):
     * each action's name, with its arguments and what it does. None by default.
     */
    default Map<String, String> actions() {
        return Map.of();
    }

    /**
     * What an action or a fault changed that a person looking at the machine should see, e.g. {@code port 0: disk
     * pulled out}; "" when nothing is out of the ordinary (the default).
     */
    default String state() {
        return "";
    }

    /**
     * Does one of the {@link #actions()}; synchronises with the model's other work itself.
     *
     * @return what happened, one line
     * @throws IllegalArgumentException naming what is wrong: an action the model does not have, a bad argument, a
     *         state it cannot be done in
     */
    default String act(String action, List<String> args) {
        throw new IllegalArgumentException("'" + action + "': this device has no actions");
    }
}
