package org.devrt.vfs.internal.nio;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.devrt.vfs.FileInfo;

/**
 * A watch service of the VFS, by polling: each {@link #poll}, and every {@link #POLL_MILLIS} while {@link #take} or a
 * timed poll waits, lists the directories registered and compares each entry's size and modification time with the
 * last look. No thread of its own, so a watch service that is never closed (Gogo's {@code tail -f} leaves its own
 * open when Ctrl-C ends it) costs nothing. FAT keeps modification times to 2 s: a change that keeps a file's size is
 * seen only once its time moves; an append always is. Without one, Gogo's {@code tail -f} on a VFS file said "the
 * VFS has no watch service".
 */
final class VfsWatchService implements WatchService {
    static final long POLL_MILLIS = 250;

    private final VfsFileSystem fs;
    private final List<Key> keys = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Key> signalled = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    VfsWatchService(VfsFileSystem fs) {
        this.fs = fs;
    }

    /** Registers a directory (the same one again gets its key back, with these kinds). */
    synchronized WatchKey register(VfsPath dir, WatchEvent.Kind<?>[] kinds) throws IOException {
        ensureOpen();
        String path = dir.vfsPath();
        if (!fs.provider().vfs().stat(path).directory()) {
            throw new NotDirectoryException(path);
        }
        Map<String, long[]> now = look(path);
        for (Key k : keys) {
            if (k.path.equals(path) && k.isValid()) {
                k.kinds = Set.of(kinds);
                return k;
            }
        }
        Key key = new Key(dir, path, Set.of(kinds), now);
        keys.add(key);
        return key;
    }

    /** Each entry's size and modification time, by name; the listing throws if the directory went. */
    private Map<String, long[]> look(String path) throws IOException {
        Map<String, long[]> out = new HashMap<>();
        for (FileInfo f : fs.provider().vfs().list(path)) {
            out.put(f.name(), new long[] {f.size(), f.modified().toEpochMilli()});
        }
        return out;
    }

    /** Looks at every registered directory once, and signals the keys whose directory changed. */
    private synchronized void scan() {
        for (Key k : keys) {
            if (!k.isValid()) {
                keys.remove(k);
                continue;
            }
            Map<String, long[]> now;
            try {
                now = look(k.path);
            } catch (NoSuchFileException | NotDirectoryException e) {
                k.cancel(); // the directory went (or its volume): as a watch service cancels such a key
                signal(k);
                continue;
            } catch (IOException e) {
                continue; // a disk that does not answer now: looked at again at the next poll
            }
            List<WatchEvent<Path>> events = new ArrayList<>();
            now.forEach((name, was) -> {
                long[] before = k.last.get(name);
                if (before == null) {
                    add(k, events, StandardWatchEventKinds.ENTRY_CREATE, name);
                } else if (before[0] != was[0] || before[1] != was[1]) {
                    add(k, events, StandardWatchEventKinds.ENTRY_MODIFY, name);
                }
            });
            k.last.keySet().stream().filter(name -> !now.containsKey(name))
                    .forEach(name -> add(k, events, StandardWatchEventKinds.ENTRY_DELETE, name));
            k.last = now;
            if (!events.isEmpty()) {
                k.events.addAll(events);
                signal(k);
            }
        }
    }

    private void add(Key k, List<WatchEvent<Path>> events, WatchEvent.Kind<Path> kind, String name) {
        if (k.kinds.contains(kind)) {
            events.add(new Event(kind, fs.getPath(name)));
        }
    }

    private void signal(Key k) {
        if (!k.signalled) {
            k.signalled = true;
            signalled.add(k);
        }
    }

    @Override
    public WatchKey poll() {
        ensureOpen();
        scan();
        return signalled.poll();
    }

    @Override
    public WatchKey poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            WatchKey k = poll();
            long left = deadline - System.nanoTime();
            if (k != null || left <= 0) {
                return k;
            }
            Thread.sleep(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
    }

    @Override
    public WatchKey take() throws InterruptedException {
        while (true) {
            WatchKey k = poll();
            if (k != null) {
                return k;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    @Override
    public void close() {
        closed = true;
        keys.forEach(Key::cancel);
        keys.clear();
        signalled.clear();
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClosedWatchServiceException();
        }
    }

    private record Event(WatchEvent.Kind<Path> kind, Path context) implements WatchEvent<Path> {
        @Override
        public int count() {
            return 1;
        }
    }

    /** A registered directory: its last look, its pending events. */
    private final class Key implements WatchKey {
        private final VfsPath dir;
        private final String path;
        private volatile Set<WatchEvent.Kind<?>> kinds;
        private Map<String, long[]> last;
        private final List<WatchEvent<?>> events = new ArrayList<>();
        private boolean signalled;
        private volatile boolean valid = true;

        Key(VfsPath dir, String path, Set<WatchEvent.Kind<?>> kinds, Map<String, long[]> last) {
            this.dir = dir;
            this.path = path;
            this.kinds = kinds;
            this.last = last;
        }

        @Override
        public boolean isValid() {
            return valid && !closed;
        }

        @Override
        public List<WatchEvent<?>> pollEvents() {
            synchronized (VfsWatchService.this) {
                List<WatchEvent<?>> out = new ArrayList<>(events);
                events.clear();
                return out;
            }
        }

        @Override
        public boolean reset() {
            synchronized (VfsWatchService.this) {
                if (!isValid()) {
                    return false;
                }
                signalled = false;
                if (!events.isEmpty()) { // events came since pollEvents: signalled again at once
                    signal(this);
                }
                return true;
            }
        }

        @Override
        public void cancel() {
            valid = false;
        }

        @Override
        public Path watchable() {
            return dir;
        }
    }
}
