package org.devrt.benchmarks.endurance;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

/**
 * What the VFS clients share: the disk's volume, found by its device (its mount point may change across removals),
 * page-aligned direct I/O buffers, CRC-32C, and the pause after an error.
 */
abstract class VolumeClient implements Runnable {
    static final int PAGE = 4096;
    static final long BACKOFF_NANOS = 50_000_000;

    final EnduranceRig rig;
    final Function disk;
    final SyncedFiles files;
    final ClientErrors errors;
    volatile boolean running = true;

    VolumeClient(EnduranceRig rig, Function disk, SyncedFiles files, ClientErrors errors) {
        this.rig = rig;
        this.disk = disk;
        this.files = files;
        this.errors = errors;
    }

    /** The disk's first volume's mount point, or null while it is not mounted (a removal under way). */
    String mountPoint() throws Exception {
        List<String> points = rig.vfs.mountPoints(disk.slot());
        return points.isEmpty() ? null : points.get(0);
    }

    /** A direct buffer of {@code capacity} bytes starting on a page boundary. */
    static ByteBuffer pageAligned(int capacity) {
        int pages = (capacity + PAGE - 1) / PAGE;
        return ByteBuffer.allocateDirect((pages + 1) * PAGE).alignedSlice(PAGE).limit(capacity).slice();
    }

    static int crc(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }

    static void pause(long nanos) {
        LockSupport.parkNanos(nanos);
    }

    void stop() {
        running = false;
    }
}
