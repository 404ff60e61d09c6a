package org.devrt.vfs.internal.nio;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;

/**
 * A path of the VFS as a {@link Path}: {@code /}-separated names, absolute or relative, unnormalized until
 * {@link #normalize()} is asked for (as on the default filesystem). Relative paths are resolved against the VFS root
 * when the provider uses them; the shell resolves them against its working directory first. Equality is by text:
 * the VFS itself compares names without regard to case ({@link VfsFileSystemProvider#isSameFile} does too).
 */
final class VfsPath implements Path {
    private final VfsFileSystem fs;
    private final boolean absolute;
    private final List<String> names;

    VfsPath(VfsFileSystem fs, boolean absolute, List<String> names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = List.copyOf(names);
    }

    /** Parses {@code text}: a leading {@code /} makes it absolute; empty names (repeated slashes) are dropped. */
    static VfsPath parse(VfsFileSystem fs, String text) {
        if (text.indexOf('\0') >= 0) {
            throw new java.nio.file.InvalidPathException(text, "a NUL character");
        }
        List<String> names = new ArrayList<>();
        for (String s : text.split("/")) {
            if (!s.isEmpty()) {
                names.add(s);
            }
        }
        return new VfsPath(fs, text.startsWith("/"), names);
    }

    @Override
    public FileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? new VfsPath(fs, true, List.of()) : null;
    }

    @Override
    public Path getFileName() {
        return names.isEmpty() ? null : new VfsPath(fs, false, List.of(names.get(names.size() - 1)));
    }

    @Override
    public Path getParent() {
        if (names.isEmpty() || (names.size() == 1 && !absolute)) {
            return null;
        }
        return new VfsPath(fs, absolute, names.subList(0, names.size() - 1));
    }

    @Override
    public int getNameCount() {
        return names.size();
    }

    @Override
    public Path getName(int index) {
        return new VfsPath(fs, false, List.of(names.get(index)));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        if (beginIndex < 0 || beginIndex >= endIndex || endIndex > names.size()) {
            throw new IllegalArgumentException("subpath(" + beginIndex + ", " + endIndex + ") of " + this);
        }
        return new VfsPath(fs, false, names.subList(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        VfsPath o = cast(other);
        return o.absolute == absolute && o.names.size() <= names.size()
                && names.subList(0, o.names.size()).equals(o.names);
    }

    @Override
    public boolean endsWith(Path other) {
        VfsPath o = cast(other);
        if (o.absolute) {
            return equals(o);
        }
        return o.names.size() <= names.size() && names.subList(names.size() - o.names.size(), names.size())
                .equals(o.names);
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".")) {
                continue;
            }
            if (n.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                    continue;
                }
                if (absolute) {
                    continue; // /.. is /
                }
            }
            out.add(n);
        }
        return new VfsPath(fs, absolute, out);
    }

    /**
     * As the default filesystem's, except that a path of another filesystem is taken by its text: Gogo resolves a
     * redirection's target ({@code echo hi > notes.txt}), a host path, against the working directory, and in the VFS
     * it is a VFS path.
     */
    @Override
    public Path resolve(Path other) {
        VfsPath o = other instanceof VfsPath p && p.fs == fs ? p : parse(fs, other.toString());
        if (o.absolute) {
            return o;
        }
        List<String> joined = new ArrayList<>(names);
        joined.addAll(o.names);
        return new VfsPath(fs, absolute, joined);
    }

    @Override
    public Path resolve(String other) {
        return resolve(parse(fs, other));
    }

    @Override
    public Path relativize(Path other) {
        VfsPath o = cast(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("cannot relativize " + o + " against " + this
                    + ": one is absolute, the other not");
        }
        int common = 0;
        while (common < names.size() && common < o.names.size() && names.get(common).equals(o.names.get(common))) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.size(); i++) {
            out.add("..");
        }
        out.addAll(o.names.subList(common, o.names.size()));
        return new VfsPath(fs, false, out);
    }

    /** {@code devrt-vfs:/mnt/sda1/docs/}: with a slash at the end for a directory, as the default filesystem's. */
    @Override
    public URI toUri() {
        String path = toAbsolutePath().toString();
        if (!path.endsWith("/") && fs.provider().isDirectory(this)) {
            path += "/"; // so that URI.resolve("notes.txt") is in it (Gogo's sort and source resolve so)
        }
        try {
            return new URI(VfsFileSystemProvider.SCHEME, null, path, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Path toAbsolutePath() {
        return absolute ? this : new VfsPath(fs, true, names);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        Path real = toAbsolutePath().normalize();
        fs.provider().checkAccess(real);
        return real;
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        if (!(watcher instanceof VfsWatchService w)) {
            throw new ProviderMismatchException("a watch service of another file system cannot watch " + this);
        }
        return w.register(this, events);
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(cast(other).toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VfsPath p && p.fs == fs && p.absolute == absolute && p.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + (absolute ? 1 : 0);
    }

    @Override
    public String toString() {
        return (absolute ? "/" : "") + String.join("/", names);
    }

    /** This path made absolute (against the VFS root) and normalized: what {@code Vfs} takes. */
    String vfsPath() {
        return toAbsolutePath().normalize().toString();
    }

    private VfsPath cast(Path other) {
        if (other instanceof VfsPath p && p.fs == fs) {
            return p;
        }
        throw new ProviderMismatchException(other + " is not a path of " + fs);
    }
}
