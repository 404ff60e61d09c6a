package org.devrt.vfs.internal.nio;

import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.devrt.vfs.Vfs;

/**
 * The VFS as a {@link FileSystem}, so that code written against {@code java.nio.file} (Gogo's glob expansion and
 * its commands: grep, wc, head, tail, sort) works on it. It is not installed as a provider ({@code Path.of(URI)}
 * does not find it): the shell's working directory is one of its paths ({@code cd}), and paths resolved against it
 * stay on it. One for the {@link Vfs} service object of now ({@link #of}): the shell commands, delayed components,
 * come and go with each command, the sessions' working directories must not.
 */
public final class VfsFileSystem extends FileSystem {
    /** The last filesystem {@link #of} made: a field, not a map, which would keep every Vfs that went alive. */
    private static VfsFileSystem last;

    private final VfsFileSystemProvider provider;
    private volatile boolean open = true;

    VfsFileSystem(Vfs vfs) {
        this.provider = new VfsFileSystemProvider(this, vfs);
    }

    /**
     * The filesystem over {@code vfs}: the same each time, until it is closed or another {@code Vfs} asks (the VFS
     * bundle started again; sessions still in the old one are moved by {@code WorkingDirectoryListener}).
     */
    public static synchronized VfsFileSystem of(Vfs vfs) {
        if (last == null || !last.isOpen() || last.provider.vfs() != vfs) {
            last = new VfsFileSystem(vfs);
        }
        return last;
    }

    @Override
    public VfsFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    void requireOpen() {
        if (!open) {
            throw new ClosedFileSystemException();
        }
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(getPath("/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
        StringBuilder text = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                text.append('/').append(m);
            }
        }
        return VfsPath.parse(this, text.toString());
    }

    /** {@code regex:} and {@code glob:} ({@code *}, {@code **}, {@code ?}, {@code [...]}, {@code {a,b}}). */
    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + syntaxAndPattern + "' is not syntax:pattern");
        }
        String syntax = syntaxAndPattern.substring(0, colon);
        String pattern = syntaxAndPattern.substring(colon + 1);
        Pattern regex = switch (syntax) {
            case "regex" -> Pattern.compile(pattern);
            case "glob" -> Pattern.compile(globToRegex(pattern));
            default -> throw new UnsupportedOperationException("syntax '" + syntax + "' (regex and glob are)");
        };
        return path -> regex.matcher(path.toString()).matches();
    }

    static String globToRegex(String glob) {
        StringBuilder out = new StringBuilder();
        boolean inGroup = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        out.append(".*");
                        i++;
                    } else {
                        out.append("[^/]*");
                    }
                }
                case '?' -> out.append("[^/]");
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        out.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end).replace("\\", "\\\\");
                        out.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
                        i = end;
                    }
                }
                case '{' -> {
                    out.append("(?:");
                    inGroup = true;
                }
                case '}' -> {
                    out.append(inGroup ? ")" : "\\}");
                    inGroup = false;
                }
                case ',' -> out.append(inGroup ? "|" : ",");
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        out.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    }
                }
                default -> out.append(Character.isLetterOrDigit(c) ? String.valueOf(c)
                        : Pattern.quote(String.valueOf(c)));
            }
        }
        return out.toString();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("the VFS (FAT) has no owners");
    }

    /** A watch service that polls ({@link VfsWatchService}): Gogo's {@code tail -f} follows a VFS file with it. */
    @Override
    public WatchService newWatchService() {
        requireOpen();
        return new VfsWatchService(this);
    }

    @Override
    public String toString() {
        return "the devrt VFS";
    }
}
