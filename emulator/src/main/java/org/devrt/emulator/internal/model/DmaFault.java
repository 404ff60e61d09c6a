package org.devrt.emulator.internal.model;

/**
 * A DMA access was refused: bus mastering off, an address outside the machine's memory, or outside the
 * function's DMA regions. Nothing was read or written. The message says which, with the address and length.
 * Checked on purpose: a model must turn it into its device's error status.
 */
public final class DmaFault extends Exception {
    private static final long serialVersionUID = 1L;

    public DmaFault(String message) {
        super(message);
    }
}
