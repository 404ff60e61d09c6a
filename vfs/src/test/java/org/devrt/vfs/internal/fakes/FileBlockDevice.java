package org.devrt.vfs.internal.fakes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.devrt.device.BlockDevice;

/** A disk backed by an image file, for tests that share images with the host's FAT tools. */
public final class FileBlockDevice implements BlockDevice, AutoCloseable {
    private final FileChannel channel;
    private final int blockSize;
    private final long blockCount;

    public FileBlockDevice(Path image, int blockSize) throws IOException {
        this.channel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.blockSize = blockSize;
        this.blockCount = channel.size() / blockSize;
    }

    @Override
    public int blockSize() {
        return blockSize;
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
        return "image file";
    }

    @Override
    public String serial() {
        return "";
    }

    @Override
    public void read(long lba, ByteBuffer dst) throws IOException {
        long pos = check(lba, dst);
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
        long pos = check(lba, src);
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

    private long check(long lba, ByteBuffer buffer) {
        MemoryBlockDevice.checkTransfer(lba, buffer, blockSize, blockCount);
        return lba * blockSize;
    }
}
