package org.devrt.vfs.internal.nio;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import org.devrt.registry.shell.ErrorText;

/**
 * The VFS's exceptions as a shell shows them. Gogo prints what escapes a command line (a redirection that cannot be
 * opened) by {@code toString()}, and its own commands print {@code head: } and the same: so {@code echo hi >
 * nodir/a.txt} said {@code java.nio.file.NoSuchFileException: /mnt/sda1/nodir}. Each kind is kept (a caller may
 * catch {@code NoSuchFileException}), its text is {@code file: reason}, and a missing reason is said in words.
 */
public final class Shown {
    private Shown() {
    }

    /** {@code e} with its kind kept and a {@code toString()} without the class name; other exceptions as they are. */
    public static IOException of(IOException e) {
        if (!(e instanceof FileSystemException f) || e instanceof Text) {
            return e;
        }
        String file = f.getFile();
        String other = f.getOtherFile();
        String reason = ErrorText.reason(f);
        IOException shown;
        if (f instanceof NoSuchFileException) {
            shown = new NoSuchFile(file, other, reason);
        } else if (f instanceof FileAlreadyExistsException) {
            shown = new AlreadyExists(file, other, reason);
        } else if (f instanceof DirectoryNotEmptyException) {
            shown = new NotEmpty(file, reason);
        } else if (f instanceof NotDirectoryException) {
            shown = new NotADirectory(file, reason);
        } else if (f instanceof AccessDeniedException) {
            shown = new Denied(file, other, reason);
        } else if (f.getClass() == FileSystemException.class) {
            shown = new Other(file, other, reason);
        } else {
            return e; // a kind of its own: left as it is
        }
        shown.initCause(e);
        return shown;
    }

    /** An I/O call that returns a value. */
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** An I/O call that returns nothing. */
    interface IoRun {
        void run() throws IOException;
    }

    /** {@code io}'s value; its exception {@link #of shown}. */
    static <T> T call(IoCall<T> io) throws IOException {
        try {
            return io.call();
        } catch (IOException e) {
            throw of(e);
        }
    }

    /** Runs {@code io}; its exception {@link #of shown}. */
    static void run(IoRun io) throws IOException {
        call(() -> {
            io.run();
            return null;
        });
    }

    /** The exceptions of this class: their text is their message. */
    private interface Text {
    }

    private static final class NoSuchFile extends NoSuchFileException implements Text {
        NoSuchFile(String file, String other, String reason) {
            super(file, other, reason);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    private static final class AlreadyExists extends FileAlreadyExistsException implements Text {
        AlreadyExists(String file, String other, String reason) {
            super(file, other, reason);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    private static final class NotEmpty extends DirectoryNotEmptyException implements Text {
        private final String reason;

        NotEmpty(String file, String reason) {
            super(file);
            this.reason = reason;
        }

        @Override
        public String getReason() {
            return reason;
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    private static final class NotADirectory extends NotDirectoryException implements Text {
        private final String reason;

        NotADirectory(String file, String reason) {
            super(file);
            this.reason = reason;
        }

        @Override
        public String getReason() {
            return reason;
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    private static final class Denied extends AccessDeniedException implements Text {
        Denied(String file, String other, String reason) {
            super(file, other, reason);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    private static final class Other extends FileSystemException implements Text {
        Other(String file, String other, String reason) {
            super(file, other, reason);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
