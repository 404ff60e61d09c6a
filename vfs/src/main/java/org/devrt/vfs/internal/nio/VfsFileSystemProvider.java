package org.devrt.vfs.internal.nio;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.devrt.vfs.FileInfo;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.Vfs;

/**
 * The provider of the one {@link VfsFileSystem} it belongs to: each operation is the {@link Vfs} service's, on the
 * path made absolute and normalized. What FAT has not (links, owners, POSIX permissions, file stores) is
 * unsupported; attributes are the basic ones.
 */
public final class VfsFileSystemProvider extends FileSystemProvider {
    public static final String SCHEME = "devrt-vfs";

    private final VfsFileSystem fs;
    /** The service, its exceptions {@link Shown} (Gogo prints a redirection's failure by its toString). */
    private final ShownVfs vfs;

    VfsFileSystemProvider(VfsFileSystem fs, Vfs service) {
        this.fs = fs;
        this.vfs = new ShownVfs(service);
    }

    /** The service itself. */
    Vfs vfs() {
        return vfs.service();
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("the VFS has one filesystem, made by the shell commands");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        if (!SCHEME.equals(uri.getScheme())) {
            throw new IllegalArgumentException(uri + " is not a " + SCHEME + ": URI");
        }
        return fs.getPath(uri.getPath());
    }

    /** The absolute, normalized VFS path of {@code path}, which must be one of this filesystem's. */
    private String of(Path path) {
        if (!(path instanceof VfsPath p) || p.getFileSystem() != fs) {
            throw new ProviderMismatchException(path + " is not a path of " + fs);
        }
        fs.requireOpen();
        return p.vfsPath();
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        String p = of(path);
        if (attrs.length > 0) {
            throw new UnsupportedOperationException("file attributes at creation: " + Arrays.toString(attrs));
        }
        OpenOption[] open = options.stream().filter(o -> !(o instanceof LinkOption)).toArray(OpenOption[]::new);
        return vfs.open(p, open);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        String p = of(dir);
        if (!vfs.stat(p).directory()) {
            throw Shown.of(new NotDirectoryException(p));
        }
        List<FileInfo> entries = vfs.list(p);
        return new DirectoryStream<>() {
            private boolean iterated;

            @Override
            public Iterator<Path> iterator() {
                if (iterated) {
                    throw new IllegalStateException("a directory stream iterates once");
                }
                iterated = true;
                return entries.stream().map(e -> dir.resolve(e.name())).filter(child -> {
                    try {
                        return filter.accept(child);
                    } catch (IOException e) {
                        throw new DirectoryIteratorException(e);
                    }
                }).iterator();
            }

            @Override
            public void close() {
                // the entries were read at once
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        vfs.createDirectory(of(dir));
    }

    @Override
    public void delete(Path path) throws IOException {
        vfs.delete(of(path));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        String from = of(source);
        String to = of(target);
        FileInfo info = vfs.stat(from);
        boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
        if (exists(to)) {
            if (!replace) {
                throw Shown.of(new FileAlreadyExistsException(to));
            }
            vfs.delete(to);
        }
        if (info.directory()) {
            vfs.createDirectory(to); // as Files.copy: the directory, not what it holds
            return;
        }
        try (SeekableByteChannel in = vfs.open(from); SeekableByteChannel out = vfs.open(to,
                StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            while (in.read(b.clear()) >= 0) {
                b.flip();
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
        }
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        String from = of(source);
        String to = of(target);
        if (!Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING) && exists(to)
                && !isSameFile(source, target)) {
            throw Shown.of(new FileAlreadyExistsException(to));
        }
        vfs.rename(from, to);
    }

    /** Whether {@code path} is a directory of the VFS now; false when that cannot be told. */
    boolean isDirectory(VfsPath path) {
        try {
            return vfs.stat(of(path)).directory();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean exists(String path) throws IOException {
        try {
            vfs.stat(path);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The same path, names compared without regard to case as the VFS compares them. */
    @Override
    public boolean isSameFile(Path path, Path path2) {
        return of(path).equalsIgnoreCase(of(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return vfs.stat(of(path)).hidden();
    }

    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("file stores of the VFS ('df' shows its volumes)");
    }

    /** Exists; WRITE is denied on a read-only file or volume, EXECUTE on a file (FAT has no execute bit). */
    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        String p = of(path);
        FileInfo info = vfs.stat(p);
        for (AccessMode m : modes) {
            if ((m == AccessMode.WRITE && info.readOnly()) || (m == AccessMode.EXECUTE && !info.directory())) {
                throw Shown.of(new AccessDeniedException(p, null, m == AccessMode.WRITE ? "read-only"
                        : "not executable"));
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        return (V) new BasicFileAttributeView() {
            @Override
            public String name() {
                return "basic";
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return VfsFileSystemProvider.this.readAttributes(path, BasicFileAttributes.class);
            }

            /**
             * As FAT keeps them ({@link Vfs#setTimes}). A copy or move from another file system sets the times
             * last, and the JDK deletes the target when that fails: the UnsupportedOperationException thrown here
             * before made nano's save (a move from a temporary file) delete the file it had just written.
             */
            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
                    throws IOException {
                if (lastModifiedTime == null && lastAccessTime == null && createTime == null) {
                    return; // nothing to set: not even on a read-only volume is that an error
                }
                vfs.setTimes(of(path), instant(lastModifiedTime), instant(lastAccessTime), instant(createTime));
            }
        };
    }

    private static Instant instant(FileTime t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (!type.isAssignableFrom(Attributes.class)) {
            throw new UnsupportedOperationException(type.getSimpleName() + " of the VFS (it has the basic ones)");
        }
        return (A) new Attributes(vfs.stat(of(path)));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        String names = attributes;
        int colon = attributes.indexOf(':');
        if (colon >= 0) {
            if (!attributes.substring(0, colon).equals("basic")) {
                throw new UnsupportedOperationException("attribute view '" + attributes.substring(0, colon)
                        + "' of the VFS (it has 'basic')");
            }
            names = attributes.substring(colon + 1);
        }
        Attributes a = readAttributes(path, Attributes.class);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("lastModifiedTime", a.lastModifiedTime());
        all.put("lastAccessTime", a.lastAccessTime());
        all.put("creationTime", a.creationTime());
        all.put("size", a.size());
        all.put("isRegularFile", a.isRegularFile());
        all.put("isDirectory", a.isDirectory());
        all.put("isSymbolicLink", false);
        all.put("isOther", false);
        all.put("fileKey", null);
        if (names.equals("*")) {
            return all;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names.split(",")) {
            if (!all.containsKey(n)) {
                throw new IllegalArgumentException("no attribute '" + n + "' in the VFS's basic view");
            }
            out.put(n, all.get(n));
        }
        return out;
    }

    /**
     * The basic view's three times ({@code Files.setLastModifiedTime}, {@code Files.setAttribute}); as the
     * specification has it, another view is unsupported, another attribute an IllegalArgumentException, a value that
     * is no FileTime a ClassCastException.
     */
    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        int colon = attribute.indexOf(':');
        if (colon >= 0 && !attribute.substring(0, colon).equals("basic")) {
            throw new UnsupportedOperationException("attribute view '" + attribute.substring(0, colon)
                    + "' of the VFS (it has 'basic')");
        }
        String name = attribute.substring(colon + 1);
        if (!name.equals("lastModifiedTime") && !name.equals("lastAccessTime") && !name.equals("creationTime")) {
            throw new IllegalArgumentException("'" + attribute + "' cannot be set in the VFS (it sets the basic"
                    + " view's lastModifiedTime, lastAccessTime and creationTime)");
        }
        Instant t = ((FileTime) value).toInstant();
        switch (name) {
            case "lastModifiedTime" -> vfs.setTimes(of(path), t, null, null);
            case "lastAccessTime" -> vfs.setTimes(of(path), null, t, null);
            default -> vfs.setTimes(of(path), null, null, t);
        }
    }

    /** The service, each exception it throws {@link Shown}. */
    private record ShownVfs(Vfs service) implements Vfs {
        @Override
        public SeekableByteChannel open(String path, OpenOption... options) throws IOException {
            return Shown.call(() -> service.open(path, options));
        }

        @Override
        public List<FileInfo> list(String directory) throws IOException {
            return Shown.call(() -> service.list(directory));
        }

        @Override
        public FileInfo stat(String path) throws IOException {
            return Shown.call(() -> service.stat(path));
        }

        @Override
        public void createDirectory(String path) throws IOException {
            Shown.run(() -> service.createDirectory(path));
        }

        @Override
        public void setTimes(String path, Instant modified, Instant accessed, Instant created) throws IOException {
            Shown.run(() -> service.setTimes(path, modified, accessed, created));
        }

        @Override
        public void delete(String path) throws IOException {
            Shown.run(() -> service.delete(path));
        }

        @Override
        public void rename(String source, String target) throws IOException {
            Shown.run(() -> service.rename(source, target));
        }

        @Override
        public void sync() throws IOException {
            Shown.run(service::sync);
        }

        @Override
        public List<MountInfo> mounts() {
            return service.mounts();
        }
    }

    /** A file's basic attributes, from what the VFS knows of it. */
    record Attributes(FileInfo info) implements BasicFileAttributes {
        @Override
        public FileTime lastModifiedTime() {
            return FileTime.from(info.modified());
        }

        @Override
        public FileTime lastAccessTime() {
            return FileTime.from(info.accessed());
        }

        @Override
        public FileTime creationTime() {
            return FileTime.from(info.created());
        }

        @Override
        public boolean isRegularFile() {
            return !info.directory();
        }

        @Override
        public boolean isDirectory() {
            return info.directory();
        }

        @Override
        public boolean isSymbolicLink() {
            return false;
        }

        @Override
        public boolean isOther() {
            return false;
        }

        @Override
        public long size() {
            return info.size();
        }

        @Override
        public Object fileKey() {
            return null;
        }
    }
}
