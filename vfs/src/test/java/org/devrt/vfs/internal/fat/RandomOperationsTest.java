package org.devrt.vfs.internal.fat;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.devrt.vfs.FileInfo;
import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.fakes.FileBlockDevice;
import org.devrt.vfs.internal.fakes.HostTools;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A long seeded random sequence of operations, checked after every step against a model of the expected tree;
 * at the end fsck.fat finds a clean volume and mcopy reads back the model.
 */
public class RandomOperationsTest {
    private static final int STEPS = 600;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** The model: files (path in lower case -> path as created, content) and directories. */
    private final TreeMap<String, byte[]> files = new TreeMap<>();
    private final TreeMap<String, String> names = new TreeMap<>();
    private final TreeSet<String> dirs = new TreeSet<>(List.of(""));

    @Test(timeout = 60000)
    public void aLongRandomSequenceMatchesTheModelAndFsck() throws Exception {
        HostTools.require("fsck.fat", "mcopy");
        for (FatType type : FatType.values()) {
            files.clear();
            names.clear();
            dirs.clear();
            dirs.add("");
            run(type, 20240517L + type.ordinal());
        }
    }

    private void run(FatType type, long seed) throws Exception {
        Path img = tmp.newFile(type + ".img").toPath();
        long bytes = type == FatType.FAT32 ? 40L << 20 : type == FatType.FAT16 ? 12L << 20 : 3L << 20;
        try (var ch = java.nio.channels.FileChannel.open(img, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), bytes - 1);
        }
        Random r = new Random(seed);
        try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
            BlockCache cache = new BlockCache(d, 0, d.blockCount(), 256 << 10); // small: evictions happen
            FatFormatter.format(cache, 512, new FatFormatter.Options(type, type == FatType.FAT12 ? 0 : 1, "", 1L, 0),
                    Fixtures.CLOCK);
            FatFileSystem fs = FatFileSystem.mount(cache, "/r", false, Fixtures.CLOCK);
            for (int step = 0; step < STEPS; step++) {
                String did = step(fs, r);
                if (step % 50 == 0 || step == STEPS - 1) {
                    check(fs, type + " step " + step + " (" + did + ")");
                }
            }
            fs.unmount();
        }
        HostTools.Result fsck = HostTools.run("fsck.fat", "-n", img.toString());
        assertEquals(type + ": " + fsck.out(), 0, fsck.exit());
        assertFalse(type + ": " + fsck.out(), fsck.out().contains("\n  "));
        Path out = tmp.newFolder().toPath();
        HostTools.run("mcopy", "-s", "-n", "-i", img.toString(), "::*", out.toString()).ok();
        for (var e : files.entrySet()) {
            assertArrayEquals(names.get(e.getKey()), e.getValue(), Files.readAllBytes(out.resolve(
                    names.get(e.getKey()).substring(1))));
        }
    }

    private String step(FatFileSystem fs, Random r) throws IOException {
        int op = r.nextInt(100);
        String dir = pick(r, new ArrayList<>(dirs));
        String name = (dir.isEmpty() ? "" : names.get(dir)) + "/" + randomName(r);
        String key = name.toLowerCase();
        boolean taken = files.containsKey(key) || dirs.contains(key);
        if (op < 30 && !taken) {
            byte[] data = HostTree.bytes(r, r.nextInt(r.nextInt(10) == 0 ? 200_000 : 5000));
            Fixtures.write(fs, name, data);
            files.put(key, data);
            names.put(key, name);
            return "create " + name;
        }
        if (op < 40 && !taken && dirs.size() < 40) {
            fs.createDirectory(Fixtures.p(name));
            dirs.add(key);
            names.put(key, name);
            return "mkdir " + name;
        }
        if (files.isEmpty()) {
            return "nothing";
        }
        String f = pick(r, new ArrayList<>(files.keySet()));
        String path = names.get(f);
        if (op < 55) { // write somewhere, possibly past the end
            byte[] old = files.get(f);
            int at = r.nextInt(old.length + 20_000);
            byte[] data = HostTree.bytes(r, r.nextInt(8000));
            try (SeekableByteChannel c = fs.open(Fixtures.p(path), Set.of(StandardOpenOption.WRITE))) {
                c.position(at).write(ByteBuffer.wrap(data));
            }
            byte[] now = Arrays.copyOf(old, Math.max(old.length, at + data.length));
            System.arraycopy(data, 0, now, at, data.length);
            files.put(f, now);
            return "write " + path + " at " + at;
        }
        if (op < 65) {
            byte[] old = files.get(f);
            int size = old.length == 0 ? 0 : r.nextInt(old.length);
            try (SeekableByteChannel c = fs.open(Fixtures.p(path), Set.of(StandardOpenOption.WRITE))) {
                c.truncate(size);
            }
            files.put(f, Arrays.copyOf(old, size));
            return "truncate " + path;
        }
        if (op < 80) {
            fs.delete(Fixtures.p(path));
            files.remove(f);
            names.remove(f);
            return "delete " + path;
        }
        if (op < 95 && !taken) {
            fs.rename(Fixtures.p(path), Fixtures.p(name));
            files.put(key, files.remove(f));
            names.remove(f);
            names.put(key, name);
            return "move " + path + " to " + name;
        }
        String d = pick(r, new ArrayList<>(dirs));
        if (!d.isEmpty() && files.keySet().stream().noneMatch(x -> x.startsWith(d + "/"))
                && dirs.stream().noneMatch(x -> x.startsWith(d + "/"))) {
            fs.delete(Fixtures.p(names.get(d)));
            dirs.remove(d);
            names.remove(d);
            return "rmdir " + d;
        }
        return "nothing";
    }

    private void check(FatFileSystem fs, String when) throws IOException {
        for (String d : dirs) {
            TreeSet<String> expected = new TreeSet<>();
            for (String x : names.keySet()) {
                if (x.startsWith(d + "/") && x.indexOf('/', d.length() + 1) < 0) {
                    expected.add(names.get(x).substring(names.get(x).lastIndexOf('/') + 1));
                }
            }
            TreeSet<String> actual = new TreeSet<>();
            for (FileInfo i : fs.list(Fixtures.p(d.isEmpty() ? "/" : names.get(d)))) {
                actual.add(i.name());
            }
            assertEquals(when + ": listing of " + d, expected, actual);
        }
        for (var e : files.entrySet()) {
            assertArrayEquals(when + ": " + names.get(e.getKey()), e.getValue(), Fixtures.read(fs, names.get(e.getKey())));
        }
    }

    private static String randomName(Random r) {
        String[] parts = {"a", "Data", "ünï", "long name with spaces", "x.tar.gz", "README", "file", "ω", "Q1", "z~1"};
        StringBuilder s = new StringBuilder(parts[r.nextInt(parts.length)]);
        if (r.nextBoolean()) {
            s.append(' ').append(r.nextInt(50));
        }
        if (r.nextBoolean()) {
            s.append('.').append(new String[] {"txt", "TXT", "Bin", "jpeg", "c"}[r.nextInt(5)]);
        }
        return s.toString();
    }

    private static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
