package org.devrt.benchmarks.endurance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The files whose every byte must be on the disk: a file is added once Vfs sync returned after it was written and
 * closed. A writer that deletes one of its files to bound the volume's use retires it first, under the file's write
 * lock, so that no reader is reading it then, and it is no longer expected at the end.
 */
final class SyncedFiles {
    /** One synced file, by its path from the volume's root. */
    static final class Entry {
        final String path;
        final int length;
        final int crc;
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        boolean retired;

        Entry(String path, int length, int crc) {
            this.path = path;
            this.length = length;
            this.crc = crc;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private long syncedFiles;
    private long syncedBytes;
    private long retiredFiles;
    private long retiredBytes;

    synchronized void add(Entry e) {
        index.put(e.path, entries.size());
        entries.add(e);
        syncedFiles++;
        syncedBytes += e.length;
    }

    /** A random file still expected, or null when there is none. */
    synchronized Entry random() {
        return entries.isEmpty() ? null : entries.get(ThreadLocalRandom.current().nextInt(entries.size()));
    }

    /** No longer expects the file: waits for its readers, marks it retired, forgets it. */
    void retire(Entry e) {
        e.lock.writeLock().lock();
        try {
            e.retired = true;
            synchronized (this) {
                int i = index.remove(e.path);
                Entry last = entries.remove(entries.size() - 1);
                if (last != e) {
                    entries.set(i, last);
                    index.put(last.path, i);
                }
                retiredFiles++;
                retiredBytes += e.length;
            }
        } finally {
            e.lock.writeLock().unlock();
        }
    }

    synchronized List<Entry> expected() {
        return List.copyOf(entries);
    }

    synchronized long syncedFiles() {
        return syncedFiles;
    }

    synchronized long syncedBytes() {
        return syncedBytes;
    }

    synchronized long retiredFiles() {
        return retiredFiles;
    }

    synchronized long retiredBytes() {
        return retiredBytes;
    }
}
