package org.devrt.vfs.internal.cmd;

import java.nio.file.Path;

import org.apache.felix.service.command.CommandSession;
import org.devrt.vfs.internal.nio.VfsFileSystemProvider;

/**
 * The shell's working directory in the VFS: Gogo keeps a working directory per session as a {@link Path}; after
 * {@code cd} it is a path of the VFS (a {@code VfsFileSystem}'s), so that relative operands, Gogo's glob expansion
 * ({@code ls *.txt}) and Gogo's own file commands (grep, wc, head) work on the VFS. Until then it is the host
 * folder the JVM started in, and the file commands take absolute VFS paths only.
 */
final class WorkingDirectory {
    private WorkingDirectory() {
    }

    /** The working directory of the session running the current command; null outside a Gogo session. */
    static Path ofSession() {
        CommandSession session = CommandSession.Utils.current();
        return session == null ? null : session.currentDir();
    }

    /** Whether {@code dir} is a path of the VFS (of any {@code VfsFileSystem}, one closed since too). */
    static boolean inVfs(Path dir) {
        return dir != null && VfsFileSystemProvider.SCHEME.equals(dir.getFileSystem().provider().getScheme());
    }

    /**
     * {@code operand} as an absolute VFS path: as it is if it starts with {@code /}, else after the working
     * directory {@code cwd} (as text: {@code .}, {@code ..} and a trailing {@code /} are the VFS's to read).
     *
     * @throws IllegalArgumentException if it is relative and the working directory is not in the VFS
     */
    static String resolve(Path cwd, String operand) {
        if (operand.isEmpty()) { // as POSIX: it named the working directory, and 'rm -r ""' removed it
            throw new IllegalArgumentException("'': no such file or directory (an empty path names none)");
        }
        if (operand.startsWith("/")) {
            return operand;
        }
        if (!inVfs(cwd)) {
            throw new IllegalArgumentException("path '" + operand + "' must be absolute (start with /): the shell"
                    + " is not in the VFS ('cd /mnt/sda1' takes it there)");
        }
        // leading '..'s climb the working directory by name, as a shell's logical cd: one removed from under the
        // shell did not let 'cd ..' out ("no such file or directory", naming it); FAT has no links, so the place is
        // the same. A '..' after a name in the operand is the VFS's to read ('file.txt/..' is no directory).
        String dir = cwd.toString();
        String rest = operand;
        while (rest.equals("..") || rest.startsWith("../")) {
            int slash = dir.endsWith("/") ? dir.lastIndexOf('/', dir.length() - 2) : dir.lastIndexOf('/');
            dir = slash <= 0 ? "/" : dir.substring(0, slash);
            rest = rest.equals("..") ? "" : rest.substring(3);
        }
        if (rest.isEmpty()) {
            return dir;
        }
        return dir.endsWith("/") ? dir + rest : dir + "/" + rest;
    }
}
