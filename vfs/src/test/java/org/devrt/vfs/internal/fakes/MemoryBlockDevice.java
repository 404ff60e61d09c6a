package org.devrt.vfs.internal.fakes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceGoneException;

/**
 * A disk in memory that keeps the {@link BlockDevice} contract to the letter (whole blocks, range checks), counts
 * its calls, and can be made to go away or to fail after a number of writes (a surprise removal).
 */
public final class MemoryBlockDevice implements BlockDevice {
    private final byte[] data;
    private final int blockSize;
    private final boolean readOnly;
    private volatile boolean gone;
    private volatile int writesLeft = Integer.MAX_VALUE;
    public final AtomicInteger reads = new AtomicInteger();
    public final AtomicInteger writes = new AtomicInteger();
    public final AtomicInteger flushes = new AtomicInteger();
    /** Flushes wait here while set (a slow disk); counted down when a flush arrives. */
    private volatile CountDownLatch flushGate;
    private volatile long writeDelayMillis;
    private volatile CountDownLatch flushArrived = new CountDownLatch(1);
    private volatile int flushesToFail;

    public MemoryBlockDevice(int blockSize, long blockCount) {
        this(new byte[Math.toIntExact(blockSize * blockCount)], blockSize, false);
    }

    public MemoryBlockDevice(byte[] image, int blockSize, boolean readOnly) {
        if (image.length % blockSize != 0) {
            throw new IllegalArgumentException("image length " + image.length + " is not a multiple of " + blockSize);
        }
        this.data = image;
        this.blockSize = blockSize;
        this.readOnly = readOnly;
    }

    /** The medium itself (not a copy): tests build and inspect images through it. */
    public byte[] image() {
        return data;
    }

    /** From now on every call fails with {@link DeviceGoneException}. */
    public void unplug() {
        gone = true;
    }

    /** After {@code n} more successful writes, the device goes away. */
    public void unplugAfterWrites(int n) {
        writesLeft = n;
    }

    /** The next {@code n} flushes fail with an IOException (a FLUSH CACHE the disk could not complete), then not. */
    public void failFlushes(int n) {
        flushesToFail = n;
    }

    /** From now on each write takes {@code millis} more (a disk that answers every command late). */
    public void slowWrites(long millis) {
        writeDelayMillis = millis;
    }

    /** From now on a flush waits until the returned latch is counted down (a disk that answers slowly). */
    public CountDownLatch holdFlushes() {
        flushArrived = new CountDownLatch(1);
        flushGate = new CountDownLatch(1);
        return flushGate;
    }

    /** Waits until a flush has arrived (since {@link #holdFlushes}, if called; and, if held, is waiting). */
    public void awaitFlush() throws InterruptedException {
        flushArrived.await();
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return data.length / blockSize;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public String model() {
        return "memory disk";
    }

    @Override
    public String serial() {
        return "";
    }

    @Override
    public void read(long lba, ByteBuffer dst) throws IOException {
        int len = check(lba, dst);
        reads.incrementAndGet();
        dst.put(data, (int) (lba * blockSize), len);
    }

    @Override
    public synchronized void write(long lba, ByteBuffer src) throws IOException {
        if (writeDelayMillis > 0) {
            try {
                Thread.sleep(writeDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("write interrupted");
            }
        }
        int len = check(lba, src);
        if (readOnly) {
            throw new IOException("read-only device");
        }
        if (writesLeft-- <= 0) {
            gone = true;
            throw new DeviceGoneException("memory disk unplugged during a write");
        }
        writes.incrementAndGet();
        src.get(data, (int) (lba * blockSize), len);
    }

    @Override
    public void flush() throws IOException {
        flushArrived.countDown();
        CountDownLatch gate = flushGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("flush interrupted");
            }
        }
        if (gone) {
            throw new DeviceGoneException("memory disk is gone");
        }
        if (flushesToFail > 0) {
            flushesToFail--;
            throw new IOException("FLUSH CACHE EXT failed: the disk could not write its cache");
        }
        flushes.incrementAndGet();
    }

    private int check(long lba, ByteBuffer buffer) throws DeviceGoneException {
        if (gone) {
            throw new DeviceGoneException("memory disk is gone");
        }
        checkTransfer(lba, buffer, blockSize, blockCount());
        return buffer.remaining();
    }

    /** The {@link BlockDevice} contract's checks on a transfer: whole blocks, inside the device. */
    static void checkTransfer(long lba, ByteBuffer buffer, int blockSize, long blockCount) {
        int len = buffer.remaining();
        if (len % blockSize != 0) {
            throw new IllegalArgumentException(len + " bytes is not a multiple of the block size " + blockSize);
        }
        if (lba < 0 || lba + len / blockSize > blockCount) {
            throw new IllegalArgumentException("blocks " + lba + "+" + len / blockSize + " past the end " + blockCount);
        }
    }
}
