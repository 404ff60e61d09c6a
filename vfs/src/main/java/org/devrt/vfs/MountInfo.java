package org.devrt.vfs;

import java.util.Objects;

/**
 * A mounted volume.
 *
 * @param mountPoint where it is mounted, e.g. {@code /mnt/sda1}
 * @param source the disk and partition it lives on, e.g. {@code sda1} ({@code sda} for a whole disk)
 * @param deviceId the {@code devrt.device.id} of the block device
 * @param type the filesystem: {@code vfat}
 * @param variant the filesystem's variant: {@code FAT12}, {@code FAT16} or {@code FAT32}
 * @param label the volume label, "" when it has none
 * @param readOnly whether it is mounted read-only
 * @param totalBytes bytes in the data area
 * @param freeBytes bytes in free clusters
 */
public record MountInfo(String mountPoint, String source, String deviceId, String type, String variant, String label,
        boolean readOnly, long totalBytes, long freeBytes) {
    public MountInfo {
        Objects.requireNonNull(mountPoint, "mountPoint");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(label, "label");
    }
}
