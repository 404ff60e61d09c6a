package org.devrt.vfs.internal.mount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.OpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.devrt.vfs.FileInfo;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.Vfs;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Vfs} service, one per bundle that uses it (bundle scope, over the one {@link MountTable}). The files a
 * bundle opened and did not close are closed when it lets the service go (it stops, or is refreshed or uninstalled),
 * as a process's files are closed when it exits. Before, a channel a stopped bundle never closed stayed open until
 * its volume was unmounted: its file could not be deleted, and a non-forced unmount was refused for it.
 */
@Component(service = Vfs.class, scope = ServiceScope.BUNDLE)
public final class BundleVfs implements Vfs {
    private static final Logger LOG = LoggerFactory.getLogger(BundleVfs.class);

    private final MountTable table;
    /** The bundle this instance serves, for the log: {@code name [id]}. */
    private final String user;
    private final Set<Tracked> open = ConcurrentHashMap.newKeySet();
    private volatile boolean released;

    @Activate
    public BundleVfs(@Reference MountTable table, ComponentContext context) {
        this(table, name(context.getUsingBundle()));
    }

    BundleVfs(MountTable table, String user) {
        this.table = table;
        this.user = user;
    }

    private static String name(Bundle bundle) {
        return bundle == null ? "?" : bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]";
    }

    /** The bundle let the service go: what it left open is closed, each file as its own close would. */
    @Deactivate
    void deactivate() {
        released = true;
        List<String> closed = new ArrayList<>();
        for (Tracked channel : open) {
            try {
                channel.close();
                closed.add(channel.path);
            } catch (IOException e) {
                LOG.warn("{} left {} open, and closing it failed: {}", user, channel.path, e.toString());
            }
        }
        if (!closed.isEmpty()) {
            LOG.warn("{} let the VFS go with {} file{} open; closed: {}", user, closed.size(),
                    closed.size() == 1 ? "" : "s", String.join(", ", closed));
        }
    }

    /** How many channels this bundle has open. */
    int openChannels() {
        return open.size();
    }

    @Override
    public SeekableByteChannel open(String path, OpenOption... options) throws IOException {
        Tracked channel = new Tracked(table.open(path, options), path);
        open.add(channel);
        if (released) { // opened as the bundle let the service go: deactivate may not have seen it
            channel.close();
            throw new IOException(path + ": the VFS service was released by " + user);
        }
        return channel;
    }

    @Override
    public List<FileInfo> list(String directory) throws IOException {
        return table.list(directory);
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        return table.stat(path);
    }

    @Override
    public void createDirectory(String path) throws IOException {
        table.createDirectory(path);
    }

    @Override
    public void setTimes(String path, Instant modified, Instant accessed, Instant created) throws IOException {
        table.setTimes(path, modified, accessed, created);
    }

    @Override
    public void delete(String path) throws IOException {
        table.delete(path);
    }

    @Override
    public void rename(String source, String target) throws IOException {
        table.rename(source, target);
    }

    @Override
    public void sync() throws IOException {
        table.sync();
    }

    @Override
    public List<MountInfo> mounts() {
        return table.mounts();
    }

    /** A channel of this bundle's: forgotten when closed. */
    private final class Tracked implements SeekableByteChannel {
        private final SeekableByteChannel channel;
        private final String path;

        Tracked(SeekableByteChannel channel, String path) {
            this.channel = channel;
            this.path = path;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            open.remove(this);
            channel.close();
        }
    }
}
