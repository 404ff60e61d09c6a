package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_SECTOR;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk behind a port: a raw image file of 512-byte sectors, read and written at positions (so that commands
 * in flight on several worker threads do not share a file position), and locked against a second user. A missing
 * image is created sparse at the configured size; an existing one keeps its own size. Thread-safe.
 */
final class AtaDisk implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AtaDisk.class);

    private final Path path;
    /** Whether {@link #open} made the image. */
    private final boolean created;
    private volatile FileChannel channel;
    private volatile FileLock lock;
    private volatile boolean closed;
    private final long sectors;
    private final byte[] identify;
    private final boolean logs;

    private AtaDisk(Path path, FileChannel channel, FileLock lock, long sectors, byte[] identify, boolean created,
            boolean logs) {
        this.path = path;
        this.created = created;
        this.channel = channel;
        this.lock = lock;
        this.sectors = sectors;
        this.identify = identify;
        this.logs = logs;
    }

    /**
     * Opens {@code path}, creating it (and its folder) sparse at {@code size} bytes when missing or empty; with
     * {@code size} 0 it must exist and hold at least a sector. Only a regular file serves: a host's disk, partition
     * or other device file is refused before it is opened, since the guest would write to it.
     *
     * @throws IOException if it is not a regular file, is missing or empty without a size to create it at, cannot be
     *                     opened or given its size, or another plugged disk holds it
     */
    static AtaDisk open(Path path, long size, IdentifyData.Strings strings, boolean ncq) throws IOException {
        return open(path, size, strings, ncq, true);
    }

    /** {@link #open(Path, long, IdentifyData.Strings, boolean)}, with or without READ LOG EXT ({@code logs}). */
    static AtaDisk open(Path path, long size, IdentifyData.Strings strings, boolean ncq, boolean logs)
            throws IOException {
        boolean existed = Files.exists(path);
        if (existed && !Files.isRegularFile(path)) { // both follow links: /dev/disk/by-id/... too
            throw new IOException("disk image " + path + " is " + (Files.isDirectory(path) ? "a directory"
                    : "a device or other special file") + ", not a regular file (an emulated disk's image is a file;"
                    + " devrt never opens a host's disk)");
        }
        boolean create = size > 0;
        if (!create && !existed) {
            throw new NoSuchFileException(path.toAbsolutePath().normalize().toString());
        }
        Path parent = path.toAbsolutePath().getParent();
        if (create && parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel = create
                ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IOException("disk image " + path + " is in use by another disk of this machine");
            }
            if (lock == null) {
                throw new IOException("disk image " + path + " is in use by another process (another devrt on the"
                        + " same folder? it keeps its image locked while it runs)");
            }
            if (channel.size() < ATA_SECTOR && !create) {
                throw new IOException("disk image " + path + " holds " + channel.size() + " bytes, less than a sector");
            }
            if (channel.size() == 0) {
                try {
                    channel.write(ByteBuffer.allocate(1), size - 1);
                } catch (IOException e) { // /proc/cpuinfo: "Illegal seek"
                    throw new IOException("disk image " + path + " cannot be made " + size + " bytes long ("
                            + e.getMessage() + "); is it a file on a disk?", e);
                }
                LOG.info("created disk image {} of {} bytes (sparse)", path, size);
            } else if (channel.size() != size) {
                LOG.info("disk image {} exists with {} bytes; its size is kept", path, channel.size());
            }
            long sectors = channel.size() / ATA_SECTOR;
            if (channel.size() % ATA_SECTOR != 0) {
                LOG.warn("disk image {} is not a whole number of sectors; the last {} bytes are not used", path,
                        channel.size() % ATA_SECTOR);
            }
            return new AtaDisk(path, channel, lock, sectors, IdentifyData.build(sectors, strings, ncq, logs),
                    !existed, logs);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Closes the image and, if this disk created it, deletes it: what a plug refused for a later port does with
     * the images it made for the earlier ones.
     */
    void discard() {
        close();
        if (created) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warn("cannot delete disk image {}, made for a plug that was refused: {}", path, e.toString());
            }
        }
    }

    /** Whether the disk has the General Purpose Logging feature set (READ LOG EXT). */
    boolean logs() {
        return logs;
    }

    /** Capacity in 512-byte sectors. */
    long sectors() {
        return sectors;
    }

    /** The 512 bytes IDENTIFY DEVICE returns (a copy). */
    byte[] identify() {
        return identify.clone();
    }

    /** Whether {@code count} sectors from {@code lba} lie on the disk. */
    boolean inRange(long lba, long count) {
        return lba >= 0 && count >= 0 && lba <= sectors && count <= sectors - lba;
    }

    /** One call on the image's channel. */
    private interface Io<T> {
        T on(FileChannel channel) throws IOException;
    }

    /**
     * Does {@code op} on the image's channel, shielded from interrupts of the calling thread. A command runs on the
     * thread that rang the doorbell, the driver's caller: a shell command that Ctrl-C interrupts, say; and a
     * FileChannel closes for good when a thread in it is interrupted (or enters it interrupted). The disk then failed
     * every command (ABRT) until devrt stopped, and what the VFS had not written back was lost. Hardware knows nothing
     * of the host's threads: the interrupt is kept for the caller, the channel opened again, the call made again (a
     * positional read or write: the same bytes at the same place).
     */
    private <T> T io(Io<T> op) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                FileChannel c = channel;
                try {
                    return op.on(c);
                } catch (ClosedChannelException e) { // closed by an interrupt, of this thread or another
                    interrupted |= Thread.interrupted();
                    reopen(c, e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Opens the image again, and locks it again, unless another thread did since {@code failed} closed. */
    private synchronized void reopen(FileChannel failed, ClosedChannelException cause) throws IOException {
        if (closed) {
            throw cause;
        }
        if (channel != failed) {
            return;
        }
        FileChannel c = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = c.tryLock();
        } catch (IOException | RuntimeException e) {
            c.close();
            throw new IOException("disk image " + path + " cannot be locked again after an interrupt: " + e, e);
        }
        if (l == null) {
            c.close();
            throw new IOException("disk image " + path + " was locked by another process while it was opened again"
                    + " after an interrupt", cause);
        }
        channel = c;
        lock = l;
        LOG.debug("disk image {} opened again: a thread using it was interrupted", path);
    }

    /** The channel, for tests. */
    FileChannel channel() {
        return channel;
    }

    /** Fills {@code dst} from the byte at {@code offset}; a hole or the end of the file reads as zeros. */
    void read(long offset, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            long at = offset;
            int n = io(c -> c.read(dst, at));
            if (n < 0) {
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            offset += n;
        }
    }

    /** Writes all of {@code src} at byte {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            long at = offset;
            offset += io(c -> c.write(src, at));
        }
    }

    /** FLUSH CACHE EXT: the data written so far reaches the image's storage. */
    void flush() throws IOException {
        io(c -> {
            c.force(false);
            return null;
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            lock.release();
        } catch (IOException e) {
            LOG.debug("releasing the lock of {}", path, e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing disk image {}", path, e);
        }
    }

    @Override
    public String toString() {
        return path + " (" + sectors + " sectors)";
    }
}
