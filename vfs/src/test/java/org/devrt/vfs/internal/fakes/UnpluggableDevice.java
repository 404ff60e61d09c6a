package org.devrt.vfs.internal.fakes;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceGoneException;

/**
 * A disk that can be pulled out: after {@link #unplug()}, or once the write armed by {@link #unplugAfterWrites}
 * arrives, every call (read, write, flush) throws {@link DeviceGoneException}. The armed write is torn: only its
 * first {@code tornBlocks} blocks reach the medium, as when a request is in flight at the moment of removal.
 */
public final class UnpluggableDevice implements BlockDevice {
    private final BlockDevice disk;
    private volatile boolean gone;
    private long writesLeft = -1;
    private int tornBlocks;
    private long writes;

    public UnpluggableDevice(BlockDevice disk) {
        this.disk = disk;
    }

    /** Pulls the disk out now. */
    public void unplug() {
        gone = true;
    }

    /** Pulls the disk out during the {@code n}th write from now (1 = the next), after {@code tornBlocks} blocks of it. */
    public synchronized void unplugAfterWrites(long n, int tornBlocks) {
        this.writesLeft = n;
        this.tornBlocks = tornBlocks;
    }

    public boolean isGone() {
        return gone;
    }

    public synchronized long writes() {
        return writes;
    }

    @Override
    public int blockSize() {
        return disk.blockSize();
    }

    @Override
    public long blockCount() {
        return disk.blockCount();
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String model() {
        return "unpluggable " + disk.model();
    }

    @Override
    public String serial() {
        return disk.serial();
    }

    @Override
    public void read(long lba, ByteBuffer dst) throws IOException {
        check();
        disk.read(lba, dst);
    }

    @Override
    public synchronized void write(long lba, ByteBuffer src) throws IOException {
        check();
        writes++;
        if (writesLeft > 0 && --writesLeft == 0) {
            int blocks = src.remaining() / blockSize();
            int torn = Math.min(tornBlocks, blocks);
            if (torn > 0) {
                disk.write(lba, src.duplicate().limit(src.position() + torn * blockSize()));
            }
            gone = true;
            check();
        }
        disk.write(lba, src);
    }

    @Override
    public void flush() throws IOException {
        check();
        disk.flush();
    }

    private void check() throws DeviceGoneException {
        if (gone) {
            throw new DeviceGoneException("the disk was unplugged");
        }
    }
}
