package org.devrt.benchmarks.block;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a block benchmark reads and writes: devrt's block-device service, or the image's raw file channel. */
interface Store extends AutoCloseable {
    /** Fills {@code dst} from byte {@code offset} (a multiple of 4096). */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src} at byte {@code offset} (a multiple of 4096). */
    void write(long offset, ByteBuffer src) throws IOException;

    @Override
    void close() throws Exception;
}
