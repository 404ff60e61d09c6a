package org.devrt.benchmarks.endurance;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads random synced files back through the Vfs while the writers write and the chaos removes drivers and
 * devices, and checks each one's length and CRC-32C: a mismatch is data lost or damaged after a sync returned.
 */
final class VfsReader extends VolumeClient {
    private final ByteBuffer buffer = pageAligned(VfsWriter.MAX_FILE + 1);
    final AtomicLong verified = new AtomicLong();
    final AtomicLong verifiedBytes = new AtomicLong();
    final List<String> mismatches = new ArrayList<>();

    VfsReader(EnduranceRig rig, Function disk, SyncedFiles files, ClientErrors errors) {
        super(rig, disk, files, errors);
    }

    @Override
    public void run() {
        while (running) {
            SyncedFiles.Entry e = files.random();
            if (e == null || !e.lock.readLock().tryLock()) {
                pause(BACKOFF_NANOS);
                continue;
            }
            try {
                String root = e.retired ? null : mountPoint();
                if (root == null) {
                    pause(BACKOFF_NANOS);
                    continue;
                }
                buffer.clear();
                try (SeekableByteChannel ch = rig.vfs.open(root + "/" + e.path, StandardOpenOption.READ)) {
                    while (buffer.hasRemaining() && ch.read(buffer) >= 0) {
                        // read to the end, or one byte past the expected length
                    }
                }
                buffer.flip();
                if (buffer.remaining() == e.length && crc(buffer) == e.crc) {
                    verified.incrementAndGet();
                    verifiedBytes.addAndGet(e.length);
                } else {
                    synchronized (mismatches) {
                        mismatches.add(e.path + ": read " + buffer.remaining() + " bytes, CRC " + crc(buffer)
                                + "; synced " + e.length + " bytes, CRC " + e.crc);
                    }
                }
            } catch (Exception x) {
                errors.record("vfs reader", x);
                pause(BACKOFF_NANOS);
            } finally {
                e.lock.readLock().unlock();
            }
        }
    }
}
