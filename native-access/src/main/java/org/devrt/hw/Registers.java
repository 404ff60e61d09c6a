package org.devrt.hw;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Named access to a {@link RegisterIo}: the handful of helpers every driver needs (read, write, set and clear
 * flags, bounded waits), after ixy's {@code get_reg32}/{@code set_flags32}/{@code wait_set_reg32}, but with
 * every wait bounded. On time-out a wait throws {@link DeviceTimeoutException} carrying a dump of every
 * register named in the table given at construction, so a hung device can be diagnosed from the log.
 *
 * <p>Read-modify-write helpers are not atomic against other threads; a driver serialises its own writes to a
 * register where that matters. Thread-safe otherwise.
 */
public final class Registers {
    private static final int SPINS_BEFORE_PARKING = 64;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final RegisterIo io;
    private final NavigableMap<Integer, String> names;
    private final LongSupplier nanoClock;

    /**
     * @param io the register window
     * @param names register names by offset, as the datasheet names them; used in messages and dumps. Leave
     *        out registers whose read has side effects (clear-on-read), since a dump reads every one
     */
    public Registers(RegisterIo io, Map<Integer, String> names) {
        this(io, names, System::nanoTime);
    }

    Registers(RegisterIo io, Map<Integer, String> names, LongSupplier nanoClock) {
        this.io = Objects.requireNonNull(io, "io");
        this.names = Collections.unmodifiableNavigableMap(new TreeMap<>(names));
        this.nanoClock = nanoClock;
    }

    /** The underlying window. */
    public RegisterIo io() {
        return io;
    }

    /** Reads the register at {@code offset}. */
    public int get(int offset) {
        return io.read32(offset);
    }

    /** Writes {@code value} to the register at {@code offset}. */
    public void set(int offset, int value) {
        io.write32(offset, value);
    }

    /** Sets the bits of {@code mask}, leaving the others as read. */
    public void setFlags(int offset, int mask) {
        io.write32(offset, io.read32(offset) | mask);
    }

    /** Clears the bits of {@code mask}, leaving the others as read. */
    public void clearFlags(int offset, int mask) {
        io.write32(offset, io.read32(offset) & ~mask);
    }

    /** Whether every bit of {@code mask} is set. */
    public boolean isSet(int offset, int mask) {
        return (io.read32(offset) & mask) == mask;
    }

    /**
     * Waits until every bit of {@code mask} is set.
     *
     * @return the register's value that satisfied the wait
     * @throws DeviceTimeoutException if {@code timeout} passes first
     */
    public int waitSet(int offset, int mask, Duration timeout) throws DeviceTimeoutException {
        return waitMasked(offset, mask, mask, timeout);
    }

    /** Waits until every bit of {@code mask} is clear; see {@link #waitSet}. */
    public int waitClear(int offset, int mask, Duration timeout) throws DeviceTimeoutException {
        return waitMasked(offset, mask, 0, timeout);
    }

    /**
     * Waits until {@code (register & mask) == expected}. Polls with a short spin, then parks with a back-off of
     * at most a millisecond, so a wait costs little CPU and reacts within about a millisecond.
     *
     * @return the register's value that satisfied the wait
     * @throws DeviceTimeoutException if {@code timeout} passes first; the message names the register and the
     *         condition and carries a dump of the named registers
     */
    public int waitMasked(int offset, int mask, int expected, Duration timeout) throws DeviceTimeoutException {
        if ((expected & ~mask) != 0) {
            throw new IllegalArgumentException(String.format(
                    "expected value 0x%08x has bits outside mask 0x%08x: the wait could never end", expected, mask));
        }
        long timeoutNanos = timeout.toNanos();
        long start = nanoClock.getAsLong();
        long park = 1_000;
        for (int round = 0;; round++) {
            int value = io.read32(offset);
            if ((value & mask) == expected) {
                return value;
            }
            long waited = nanoClock.getAsLong() - start;
            if (waited >= timeoutNanos) {
                throw new DeviceTimeoutException(String.format(
                        "timed out after %d ms waiting for %s & 0x%08x == 0x%08x (last read 0x%08x)",
                        timeout.toMillis(), name(offset), mask, expected, value), dump());
            }
            if (round < SPINS_BEFORE_PARKING) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(Math.min(park, timeoutNanos - waited));
                park = Math.min(park * 2, MAX_PARK_NANOS);
            }
        }
    }

    /** {@code NAME(0xOFFSET)}, or just the offset when the register has no name. */
    public String name(int offset) {
        String name = names.get(offset);
        return name == null ? String.format("register 0x%04x", offset) : String.format("%s(0x%04x)", name, offset);
    }

    /**
     * Every named register with its current value, one per line, in offset order. Reading registers has side
     * effects on some devices (clear-on-read): dumps are for diagnosis, after something went wrong. Registers
     * that cannot be read (revoked window) are reported as such.
     */
    public String dump() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            out.append(String.format("  %-12s(0x%04x) = ", e.getValue(), e.getKey()));
            try {
                out.append(String.format("0x%08x%n", io.read32(e.getKey())));
            } catch (RuntimeException ex) {
                out.append("unreadable: ").append(ex.getMessage()).append(System.lineSeparator());
            }
        }
        return out.toString();
    }
}
