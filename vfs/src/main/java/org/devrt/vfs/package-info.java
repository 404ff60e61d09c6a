/**
 * The file API of devrt's VFS, for other bundles.
 *
 * <p>{@link org.devrt.vfs.Vfs} is one service over every mounted volume. Paths are absolute and use
 * {@code /}; a FAT volume found on a disk is mounted at {@code /mnt/<disk><partition>}, e.g.
 * {@code /mnt/sda1} (or {@code /mnt/sda} for a disk without a partition table). Errors are
 * {@link java.io.IOException}s: the {@code java.nio.file} ones for a wrong path ({@code NoSuchFileException},
 * {@code FileAlreadyExistsException}, {@code DirectoryNotEmptyException}, {@code NotDirectoryException}),
 * {@link org.devrt.vfs.CorruptFilesystemException} for damage found on the medium, and
 * {@link org.devrt.device.DeviceGoneException} once the volume's disk has gone.
 */
@Export
@Version("1.1.0")
package org.devrt.vfs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
