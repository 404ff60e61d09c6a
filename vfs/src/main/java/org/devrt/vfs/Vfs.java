package org.devrt.vfs;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.OpenOption;
import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The mounted volumes as one tree of files, as a service.
 *
 * <p>Paths are absolute ({@code /mnt/sda1/docs/a.txt}); {@code .} and {@code ..} segments are resolved and
 * repeated slashes ignored. Names are case-preserving and, as on FAT, compared without regard to case. The
 * directories above the mount points ({@code /}, {@code /mnt}) can be listed but not changed.
 */
@ProviderType
public interface Vfs {
    /**
     * Opens a file. The options are {@link java.nio.file.StandardOpenOption}s: {@code READ} (the default),
     * {@code WRITE}, {@code APPEND}, {@code CREATE}, {@code CREATE_NEW}, {@code TRUNCATE_EXISTING}, {@code SYNC}
     * and {@code DSYNC} (each write is made durable before it returns). Writing past the end grows the file,
     * filling the gap with zeros. The channel is safe for use by several threads. It is closed, if its user has not
     * closed it, when the bundle that opened it releases this service (it stops, or ungets its last use of it):
     * as a process's files are closed when it exits.
     */
    SeekableByteChannel open(String path, OpenOption... options) throws IOException;

    /** The entries of a directory, without {@code .} and {@code ..}, in the order the directory holds them. */
    List<FileInfo> list(String directory) throws IOException;

    /** What is known of one file or directory. */
    FileInfo stat(String path) throws IOException;

    /** Creates one directory; its parent must exist. */
    void createDirectory(String path) throws IOException;

    /** Deletes a file, or a directory that is empty. A file that is open cannot be deleted. */
    void delete(String path) throws IOException;

    /**
     * Renames or moves a file or directory within one volume. An existing target file is replaced; an existing
     * target directory is not.
     */
    void rename(String source, String target) throws IOException;

    /**
     * Sets a file's or directory's times; a null one is left as it is. FAT keeps the modification time to 2 s, the
     * creation time to 10 ms and the access time as a date, in local time; the root of a volume has none, and is
     * left as it is. Since 1.1.
     */
    void setTimes(String path, Instant modified, Instant accessed, Instant created) throws IOException;

    /** Writes every volume's cached changes to its disk and flushes the disk. */
    void sync() throws IOException;

    /** The mounted volumes, ordered by mount point. */
    List<MountInfo> mounts();
}
