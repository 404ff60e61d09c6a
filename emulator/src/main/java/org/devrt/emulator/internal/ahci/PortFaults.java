package org.devrt.emulator.internal.ahci;

/**
 * The faults a test asked a port to inject into the commands it issues from now on: abort the next N (ATA ABRT,
 * as a failing disk would), never complete the next N (a hung device: the driver's time-out must fire), end the next
 * N in an interface error (PxIS.IFS with PxSERR.E.P, as a CRC error on a marginal cable; nothing reaches the disk), let
 * the next N meet an interface error the HBA recovers from (PxIS.INFS, PxSERR.E.M; they complete), or start
 * run every command D ms late (a non-queued one holds the port, BSY set, that long; a queued one runs late once the
 * device has queued it). Faults are test set-up, not device state: a reset keeps them. Guarded by the HBA's lock.
 */
final class PortFaults {
    private int failNext;
    private int hangNext;
    private int linkErrorNext;
    private int recoveredErrorNext;
    private long delayMillis;

    /**
     * What happens to the command being issued; {@code recoveredError}: the HBA met an interface error it recovered
     * from (PxIS.INFS, PxSERR.E.M), and the command goes on.
     */
    record Decision(boolean fail, boolean hang, boolean linkError, long delayMillis, boolean recoveredError) {
    }

    void failNext(int commands) {
        failNext = nonNegative(commands, "commands");
    }

    void hangNext(int commands) {
        hangNext = nonNegative(commands, "commands");
    }

    void linkErrorNext(int commands) {
        linkErrorNext = nonNegative(commands, "commands");
    }

    void recoveredErrorNext(int commands) {
        recoveredErrorNext = nonNegative(commands, "commands");
    }

    void delay(long millis) {
        delayMillis = nonNegative(millis, "millis");
    }

    void clear() {
        failNext = 0;
        hangNext = 0;
        linkErrorNext = 0;
        recoveredErrorNext = 0;
        delayMillis = 0;
    }

    /** The fault for the next issued command; hangs are used up before link errors, and those before failures. */
    Decision next() {
        if (hangNext > 0) {
            hangNext--;
            return new Decision(false, true, false, 0, false);
        }
        if (linkErrorNext > 0) {
            linkErrorNext--;
            return new Decision(false, false, true, 0, false);
        }
        if (recoveredErrorNext > 0) {
            recoveredErrorNext--;
            return new Decision(false, false, false, delayMillis, true);
        }
        if (failNext > 0) {
            failNext--;
            return new Decision(true, false, false, delayMillis, false);
        }
        return new Decision(false, false, false, delayMillis, false);
    }

    private static int nonNegative(long value, String what) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " " + value + " must be in 0.." + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    @Override
    public String toString() {
        return "fail next " + failNext + ", hang next " + hangNext + ", link error next " + linkErrorNext + ", delay "
                + delayMillis + " ms";
    }
}
