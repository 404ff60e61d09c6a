package org.devrt.benchmarks.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.devrt.device.BlockDevice;

/**
 * A block device on an image file: positional FileChannel reads and writes of the (direct, page-aligned) buffers
 * devrt's block cache hands it; flush is {@code force(false)}. The same code path as the VFS tests' FileBlockDevice.
 */
final class ImageDevice implements BlockDevice, AutoCloseable {
    static final int BLOCK = 512;
    private final FileChannel channel;
    private final long blockCount;

    ImageDevice(Path image) throws IOException {
        this.channel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.blockCount = channel.size() / BLOCK;
    }

    @Override
    public int blockSize() {
        return BLOCK;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String model() {
        return "benchmark image";
    }

    @Override
    public String serial() {
        return "";
    }

    @Override
    public void read(long lba, ByteBuffer dst) throws IOException {
        long pos = lba * BLOCK;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new IOException("short read at " + pos);
            }
            pos += n;
        }
    }

    @Override
    public void write(long lba, ByteBuffer src) throws IOException {
        long pos = lba * BLOCK;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
