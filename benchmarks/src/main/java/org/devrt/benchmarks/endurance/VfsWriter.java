package org.devrt.benchmarks.endurance;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes new files of random length and content into its own folder of the disk's volume, opened with SYNC and
 * followed by a Vfs sync; a file whose writes, close and sync all returned is {@linkplain SyncedFiles synced}. Keeps its newest
 * {@value #KEEP} synced files, deleting older ones, so that a long run does not fill the volume.
 */
final class VfsWriter extends VolumeClient {
    static final int MAX_FILE = 192 * 1024;
    static final int KEEP = 400;

    private final String folder;
    private final ByteBuffer buffer = pageAligned(MAX_FILE);
    private final Deque<SyncedFiles.Entry> mine = new ArrayDeque<>();
    private int sequence;
    final AtomicLong written = new AtomicLong();

    VfsWriter(EnduranceRig rig, Function disk, SyncedFiles files, ClientErrors errors, String folder) {
        super(rig, disk, files, errors);
        this.folder = folder;
    }

    @Override
    public void run() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            try {
                String root = mountPoint();
                if (root == null) {
                    pause(BACKOFF_NANOS);
                    continue;
                }
                String path = String.format("%s/f%06d.bin", folder, ++sequence);
                int length = random.nextInt(1, MAX_FILE + 1);
                buffer.clear().limit(length);
                while (buffer.remaining() >= Long.BYTES) {
                    buffer.putLong(random.nextLong());
                }
                while (buffer.hasRemaining()) {
                    buffer.put((byte) random.nextInt());
                }
                buffer.flip();
                int crc = crc(buffer);
                // SYNC: each write returns once data, FAT and directory entry are on this volume's disk, or fails
                // if that volume has gone. (Vfs.sync() alone is sync(2): it syncs whatever is mounted when it runs,
                // which after a quick unplug and re-plug is the new mount, not the one this file was written to.)
                try (SeekableByteChannel ch = rig.vfs.open(root + "/" + path, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                    while (buffer.hasRemaining()) {
                        ch.write(buffer);
                    }
                }
                written.incrementAndGet();
                rig.vfs.sync();
                SyncedFiles.Entry e = new SyncedFiles.Entry(path, length, crc);
                files.add(e);
                mine.add(e);
                if (mine.size() > KEEP) {
                    SyncedFiles.Entry oldest = mine.remove();
                    files.retire(oldest);
                    rig.vfs.delete(root + "/" + oldest.path);
                }
                pause(random.nextLong(20_000_000));
            } catch (Exception e) {
                errors.record("vfs writer", e);
                pause(BACKOFF_NANOS);
            }
        }
    }
}
