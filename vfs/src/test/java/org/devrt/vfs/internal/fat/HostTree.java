package org.devrt.vfs.internal.fat;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.devrt.vfs.FileInfo;

/** A tree of files on the host, copied into and compared with a FAT volume. */
final class HostTree {
    private HostTree() {
    }

    /**
     * The test tree: empty files, a file of exactly one cluster, long Unicode names, names in every case, a
     * directory 12 deep, a directory of 100 long names, and one large file of {@code bigBytes}.
     */
    static void make(Path root, int clusterSize, int bigBytes, long seed) throws IOException {
        Random r = new Random(seed);
        Files.createDirectories(root);
        Files.write(root.resolve("empty"), new byte[0]);
        Files.write(root.resolve("one cluster.bin"), bytes(r, clusterSize));
        Files.write(root.resolve("Ünïcødé – 文件 naïve.txt"), "grüße, 世界\n".getBytes("UTF-8"));
        Files.write(root.resolve("UPPER.TXT"), bytes(r, 10));
        Files.write(root.resolve("lower.txt"), bytes(r, 11));
        Files.write(root.resolve("Mixed.Txt"), bytes(r, 12));
        Files.write(root.resolve("big file.dat"), bytes(r, bigBytes));
        Path deep = root;
        for (int i = 1; i <= 12; i++) {
            deep = deep.resolve("level " + i);
        }
        Files.createDirectories(deep);
        Files.write(deep.resolve("deep file with a long name.txt"), bytes(r, clusterSize + 1));
        Files.createDirectories(root.resolve("empty dir"));
        Path many = root.resolve("Many Files");
        Files.createDirectories(many);
        for (int i = 0; i < 100; i++) {
            Files.write(many.resolve("a file with a long name number " + i + ".txt"), bytes(r, r.nextInt(3000)));
        }
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Copies the host tree below {@code root} into the volume's directory {@code to}. */
    static void copyIn(Path root, FatFileSystem fs, List<String> to) throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.sorted().toList()) {
                List<String> target = new ArrayList<>(to);
                target.add(child.getFileName().toString());
                if (Files.isDirectory(child)) {
                    fs.createDirectory(target);
                    copyIn(child, fs, target);
                } else {
                    try (SeekableByteChannel c = fs.open(target, Set.of(StandardOpenOption.WRITE,
                            StandardOpenOption.CREATE_NEW))) {
                        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(child));
                        while (b.hasRemaining()) {
                            c.write(b);
                        }
                    }
                }
            }
        }
    }

    /** Asserts that the volume's directory {@code at} holds exactly the host tree, names and bytes. */
    static void assertSame(Path root, FatFileSystem fs, List<String> at) throws IOException {
        Set<String> host = new TreeSet<>();
        try (Stream<Path> children = Files.list(root)) {
            children.forEach(c -> host.add(c.getFileName().toString()));
        }
        Set<String> ours = new TreeSet<>();
        for (FileInfo i : fs.list(at)) {
            ours.add(i.name());
        }
        assertEquals("names in " + root, host, ours);
        for (String name : host) {
            Path child = root.resolve(name);
            List<String> path = new ArrayList<>(at);
            path.add(name);
            if (Files.isDirectory(child)) {
                assertSame(child, fs, path);
            } else {
                assertArrayEquals(child.toString(), Files.readAllBytes(child), Fixtures.read(fs, "/" + String.join("/",
                        path)));
            }
        }
    }

    /** Asserts two host trees are the same, names and bytes. */
    static void assertSame(Path expected, Path actual) throws IOException {
        List<String> a = listing(expected);
        assertEquals(a, listing(actual));
        for (String rel : a) {
            Path e = expected.resolve(rel);
            if (Files.isRegularFile(e)) {
                assertArrayEquals(rel, Files.readAllBytes(e), Files.readAllBytes(actual.resolve(rel)));
            }
        }
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
