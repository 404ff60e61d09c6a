package org.devrt.vfs.internal.cmd;

import java.nio.file.Path;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.devrt.vfs.Vfs;
import org.devrt.vfs.internal.nio.VfsFileSystem;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Keeps a session's working directory on the VFS of now: a session that was in the VFS when the VFS bundle stopped
 * holds a path of the filesystem over the old {@code Vfs} (its volumes gone), and Gogo expands a pattern against it
 * before any devrt command runs ({@code ls *.txt} found nothing after the bundle was started again). Before each
 * command line, such a directory is given again by its text on the current VFS.
 */
@Component
public final class WorkingDirectoryListener implements CommandSessionListener {
    private final Vfs vfs;

    @Activate
    public WorkingDirectoryListener(@Reference Vfs vfs) {
        this.vfs = vfs;
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        Path cwd = session.currentDir();
        if (WorkingDirectory.inVfs(cwd)) {
            VfsFileSystem fs = VfsFileSystem.of(vfs);
            if (cwd.getFileSystem() != fs) {
                session.currentDir(fs.getPath(cwd.toString()));
            }
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
    }
}
