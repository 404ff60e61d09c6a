package org.devrt.benchmarks.endurance;

import java.lang.reflect.Method;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.OpenOption;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;

/** The org.devrt.vfs.Vfs service, called by reflection; its channels are plain java.nio channels. */
final class VfsApi {
    private static final String VFS = "org.devrt.vfs.Vfs";
    private static final String MOUNT_INFO = "org.devrt.vfs.MountInfo";

    private final Object vfs;
    private final Method open;
    private final Method sync;
    private final Method delete;
    private final Method createDirectory;
    private final Method mounts;
    private final Method mountPoint;
    private final Method deviceId;

    VfsApi(Object vfs, Bundle exporter) throws Exception {
        this.vfs = vfs;
        open = Reflect.method(exporter, VFS, "open", String.class, OpenOption[].class);
        sync = Reflect.method(exporter, VFS, "sync");
        delete = Reflect.method(exporter, VFS, "delete", String.class);
        createDirectory = Reflect.method(exporter, VFS, "createDirectory", String.class);
        mounts = Reflect.method(exporter, VFS, "mounts");
        mountPoint = Reflect.method(exporter, MOUNT_INFO, "mountPoint");
        deviceId = Reflect.method(exporter, MOUNT_INFO, "deviceId");
    }

    SeekableByteChannel open(String path, OpenOption... options) throws Exception {
        return (SeekableByteChannel) Reflect.call(open, vfs, path, options);
    }

    /** Writes every volume's cached changes to its disk and flushes the disk. */
    void sync() throws Exception {
        Reflect.call(sync, vfs);
    }

    void delete(String path) throws Exception {
        Reflect.call(delete, vfs, path);
    }

    void createDirectory(String path) throws Exception {
        Reflect.call(createDirectory, vfs, path);
    }

    /** The mount points of the volumes of the device whose id contains {@code slot} (e.g. 00:1f.2). */
    List<String> mountPoints(String slot) throws Exception {
        List<String> points = new ArrayList<>();
        for (Object m : (List<?>) Reflect.call(mounts, vfs)) {
            if (String.valueOf(Reflect.call(deviceId, m)).contains(slot)) {
                points.add((String) Reflect.call(mountPoint, m));
            }
        }
        return points;
    }

    String mountsText() throws Exception {
        return String.valueOf(Reflect.call(mounts, vfs));
    }
}
