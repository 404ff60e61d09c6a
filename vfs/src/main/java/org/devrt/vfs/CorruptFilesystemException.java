package org.devrt.vfs;

import java.io.IOException;

/**
 * The medium holds a filesystem structure that breaks the format's rules: a cluster chain that loops, leaves the
 * volume or ends before the file does, a boot sector field out of range. The message names the volume, the path
 * or field, and the problem.
 */
public class CorruptFilesystemException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptFilesystemException(String message) {
        super(message);
    }
}
