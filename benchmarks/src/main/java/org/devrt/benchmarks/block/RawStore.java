package org.devrt.benchmarks.block;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The baseline: positional reads and writes on a {@link FileChannel} of the image (page cache, no O_DIRECT). */
final class RawStore implements Store {
    private final FileChannel channel;

    RawStore(Path image) throws IOException {
        channel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            int n = channel.read(dst, offset);
            if (n < 0) {
                throw new EOFException("end of the image at " + offset);
            }
            offset += n;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            offset += channel.write(src, offset);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
