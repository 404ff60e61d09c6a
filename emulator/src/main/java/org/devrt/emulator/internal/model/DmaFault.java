package org.devrt.emulator.internal.model;

/**
 * A DMA access was refused: bus mastering off, an address outside the machine's memory, or outside the
 * function's DMA regions. Nothing was read or written. The message says which, with the address and length.
 * Checked on purpose: a model must turn it into its device's error status.
 */
public final class DmaFault extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean busMasterOff;

    public DmaFault(String message) {
        this(message, false);
    }

    /** @param busMasterOff refused because the Command register's Bus Master bit is clear */
    public DmaFault(String message, boolean busMasterOff) {
        super(message);
        this.busMasterOff = busMasterOff;
    }

    /**
     * Whether bus mastering was off: the driver's own values were not at fault (the system turns bus mastering off
     * when it takes the device away from a driver, before the model is reset).
     */
    public boolean busMasterOff() {
        return busMasterOff;
    }
}
