package org.devrt.registry.shell;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** What a failure of the host's or the VFS's files means, in words for a shell user. */
public final class ErrorText {
    private ErrorText() {
    }

    /**
     * The reason of {@code e}, or, where it has none, what its kind means: a {@code NoSuchFileException}'s message is
     * its path alone ("cannot write /proc/x.pcap: /proc/x.pcap").
     */
    public static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof AccessDeniedException) {
            return "access denied";
        }
        return e.getClass().getSimpleName().replace("Exception", "");
    }
}
