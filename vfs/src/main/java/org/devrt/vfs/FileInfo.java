package org.devrt.vfs;

import java.time.Instant;
import java.util.Objects;

/**
 * One file or directory as {@link Vfs#stat} and {@link Vfs#list} see it.
 *
 * @param name the name, case-preserved (the long name when the entry has one)
 * @param shortName the 8.3 alias on the medium, e.g. {@code LONGFI~1.TXT}; equal to {@code name} in upper case
 *        when the name needs no alias, "" for a directory that is not on a volume (a mount point's parents)
 * @param directory whether it is a directory
 * @param size bytes; 0 for a directory
 * @param created creation time (FAT keeps it to 10 ms)
 * @param modified last modification time (to 2 s)
 * @param accessed last access date (a day: FAT keeps no time of day)
 * @param readOnly the read-only attribute, or a read-only volume
 * @param hidden the hidden attribute
 */
public record FileInfo(String name, String shortName, boolean directory, long size, Instant created, Instant modified,
        Instant accessed, boolean readOnly, boolean hidden) {
    public FileInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shortName, "shortName");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(modified, "modified");
        Objects.requireNonNull(accessed, "accessed");
        if (size < 0) {
            throw new IllegalArgumentException("size (" + size + ") must not be negative");
        }
    }
}
