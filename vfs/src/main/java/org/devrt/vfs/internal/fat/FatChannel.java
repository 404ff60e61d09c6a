package org.devrt.vfs.internal.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** A channel on an open file, with its own position. Thread-safe. */
final class FatChannel implements SeekableByteChannel {
    private final FatFileSystem fs;
    private final FatFile file;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    private final boolean sync;
    private long position;
    private boolean open = true;

    FatChannel(FatFileSystem fs, FatFile file, boolean readable, boolean writable, boolean append, boolean sync) {
        this.fs = fs;
        this.file = file;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
        this.sync = sync;
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        checkOpen();
        if (!readable) {
            throw new NonReadableChannelException();
        }
        int n = fs.read(file, position, dst);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        checkOpen();
        if (!writable) {
            throw new NonWritableChannelException();
        }
        int before = src.remaining();
        position = fs.write(file, append ? -1 : position, src);
        if (sync) {
            fs.sync();
        }
        return before - src.remaining(); // fewer when the volume is nearly full
    }

    @Override
    public synchronized long position() throws IOException {
        checkOpen();
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
        checkOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("position (" + newPosition + ") must not be negative");
        }
        position = newPosition;
        return this;
    }

    @Override
    public synchronized long size() throws IOException {
        checkOpen();
        return fs.size(file);
    }

    @Override
    public synchronized SeekableByteChannel truncate(long size) throws IOException {
        checkOpen();
        if (size < 0) {
            throw new IllegalArgumentException("size (" + size + ") must not be negative");
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        fs.truncate(file, size);
        position = Math.min(position, size);
        return this;
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() throws IOException {
        if (open) {
            open = false;
            fs.close(file);
        }
    }

    private void checkOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
