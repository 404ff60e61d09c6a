package org.devrt.hw;

import java.io.IOException;

/**
 * A device did not reach an expected register state in time. The message names the register, the condition
 * and the time waited, followed by a dump of every named register at the moment of the time-out.
 */
public class DeviceTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String registerDump;

    public DeviceTimeoutException(String message, String registerDump) {
        super(message + (registerDump.isEmpty() ? "" : "\n" + registerDump));
        this.registerDump = registerDump;
    }

    /** The register dump alone, one {@code NAME(0xOFFSET)=0xVALUE} per line. */
    public String registerDump() {
        return registerDump;
    }
}
