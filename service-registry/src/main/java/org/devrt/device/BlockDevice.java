package org.devrt.device;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A random-access store of fixed-size blocks, provided by a driver (one service per disk).
 *
 * <p>Transfers are whole blocks: the buffer's remaining bytes must be a multiple of {@link #blockSize()}.
 * Reads and writes may run concurrently from several threads; a driver keeps as many in flight as its
 * controller allows. Data written is durable only after {@link #flush()} returns. When the device goes
 * away, calls fail with {@link DeviceGoneException}.
 */
@ProviderType
public interface BlockDevice {
    /** Bytes per logical block (512 or 4096 for SATA disks). */
    int blockSize();

    /** Number of logical blocks. */
    long blockCount();

    /** Whether {@link #write} is refused. */
    boolean isReadOnly();

    /** Model string as the device reports it (ATA IDENTIFY words 27-46 for a SATA disk). */
    String model();

    /** Serial number as the device reports it, or "" when it has none. */
    String serial();

    /**
     * Reads {@code dst.remaining() / blockSize()} blocks starting at {@code lba} into {@code dst}, advancing
     * its position.
     *
     * @throws IllegalArgumentException if {@code dst.remaining()} is not a multiple of the block size or the
     *         range ends past {@link #blockCount()}
     * @throws IOException if the device reports an error or times out
     */
    void read(long lba, ByteBuffer dst) throws IOException;

    /**
     * Writes {@code src.remaining() / blockSize()} blocks starting at {@code lba} from {@code src}, advancing
     * its position.
     *
     * @throws IllegalArgumentException as for {@link #read}
     * @throws IOException if the device is read-only, reports an error or times out
     */
    void write(long lba, ByteBuffer src) throws IOException;

    /** Makes every write that has returned durable on the medium. */
    void flush() throws IOException;
}
