package org.devrt.vfs.internal.cache;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.devrt.device.BlockDevice;

/** A block device that forwards every call, for wrappers in tests. */
class Forwarding implements BlockDevice {
    private final BlockDevice d;

    Forwarding(BlockDevice d) {
        this.d = d;
    }

    @Override
    public int blockSize() {
        return d.blockSize();
    }

    @Override
    public long blockCount() {
        return d.blockCount();
    }

    @Override
    public boolean isReadOnly() {
        return d.isReadOnly();
    }

    @Override
    public String model() {
        return d.model();
    }

    @Override
    public String serial() {
        return d.serial();
    }

    @Override
    public void read(long lba, ByteBuffer dst) throws IOException {
        d.read(lba, dst);
    }

    @Override
    public void write(long lba, ByteBuffer src) throws IOException {
        d.write(lba, src);
    }

    @Override
    public void flush() throws IOException {
        d.flush();
    }
}
