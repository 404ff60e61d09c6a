package org.devrt.emulator.internal.model;

import java.nio.ByteBuffer;

import org.devrt.pci.PciAddress;

/**
 * What the bus gives a model: DMA into the machine's memory and its interrupt pin.
 *
 * <p>Every DMA access is checked before it touches memory: the function's Command register must have Bus Master
 * set, the whole range must lie in the machine's physical memory and (when the machine checks ownership) in one
 * DMA region that the function's driver allocated. A refused access throws {@link DmaFault}, which the model turns
 * into its device's error status; the bus has already logged and counted it. Thread-safe.
 */
public interface ModelHost {
    /** The function's address, for log messages. */
    PciAddress address();

    /** Reads {@code dst.remaining()} bytes at bus address {@code address} into {@code dst}, advancing it. */
    void dmaRead(long address, ByteBuffer dst) throws DmaFault;

    /** Writes {@code src.remaining()} bytes from {@code src} at bus address {@code address}, advancing it. */
    void dmaWrite(long address, ByteBuffer src) throws DmaFault;

    /**
     * A view of {@code length} bytes of memory at bus address {@code address}, checked once as one access, for a
     * model that moves a region's data with a single transfer (a file read straight into the region) instead of
     * through a buffer of its own. The view is valid for this access only: the model must not keep it.
     *
     * @param deviceWrites whether the device writes the region (device to memory) or reads it
     */
    ByteBuffer dmaWindow(long address, int length, boolean deviceWrites) throws DmaFault;

    /** Reads a little-endian 32-bit value. */
    int dmaRead32(long address) throws DmaFault;

    /** Reads a little-endian 64-bit value. */
    long dmaRead64(long address) throws DmaFault;

    /** Writes a little-endian 32-bit value. */
    void dmaWrite32(long address, int value) throws DmaFault;

    /** Writes a little-endian 64-bit value at {@code address}. */
    void dmaWrite64(long address, long value) throws DmaFault;

    /**
     * Sets the level of the function's interrupt pin (INTx#, level-triggered): a model keeps it asserted while a
     * cause is pending and enabled, and lowers it when the driver acknowledges the last cause.
     */
    void setInterrupt(boolean asserted);
}
