package org.devrt.vfs.internal.partition;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.fakes.FileBlockDevice;
import org.devrt.vfs.internal.fakes.HostTools;
import org.devrt.vfs.internal.fat.FatFileSystem;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Images partitioned by sfdisk: devrt finds the partitions sfdisk reports and mounts every FAT one. */
public class PartitionInteropTest {
    private static final Pattern PARTITION = Pattern.compile(
            "\"node\": \"[^\"]*?(\\d+)\",\\s*\"start\": (\\d+),\\s*\"size\": (\\d+)");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path image(String script) throws Exception {
        Path img = tmp.newFile().toPath();
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), (80 << 20) - 1);
        }
        HostTools.run(script.getBytes(StandardCharsets.US_ASCII), "sfdisk", "-q", img.toString()).ok();
        return img;
    }

    /** {number, start, size} of each partition, as sfdisk reports them. */
    private static List<long[]> sfdisk(Path img) throws Exception {
        String json = HostTools.run("sfdisk", "-J", img.toString()).ok().out();
        List<long[]> out = new ArrayList<>();
        Matcher m = PARTITION.matcher(json);
        while (m.find()) {
            out.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
        }
        return out;
    }

    private static void fat(Path img, Partition p, String type) throws Exception {
        HostTools.run("mkfs.fat", "--offset=" + p.startLba(), "-F", type, img.toString(), "" + p.blockCount() / 2).ok();
        Path f = img.resolveSibling("hello " + p.number() + ".txt");
        Files.writeString(f, "partition " + p.number());
        HostTools.run("mcopy", "-i", img + "@@" + p.startLba() * 512, f.toString(), "::").ok();
    }

    private static void assertMountsAndReads(FileBlockDevice d, Partition p) throws Exception {
        FatFileSystem fs = FatFileSystem.mount(new BlockCache(d, p.startLba(), p.blockCount(), 1 << 20),
                "/mnt/sda" + p.number(), true, Clock.systemUTC());
        assertNotNull("partition " + p.number() + " mounts", fs);
        try (SeekableByteChannel c = fs.open(List.of("hello " + p.number() + ".txt"), Set.of())) {
            ByteBuffer b = ByteBuffer.allocate(100);
            c.read(b);
            assertArrayEquals(("partition " + p.number()).getBytes(), java.util.Arrays.copyOf(b.array(), b.position()));
        }
    }

    @Test(timeout = 30000)
    public void mbrWithLogicalPartitionsAsSfdiskMadeIt() throws Exception {
        HostTools.require("sfdisk", "mkfs.fat", "mcopy");
        Path img = image(",8M,c\n,,5\n,20M,e\n,,6\n");
        try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
            PartitionTable t = PartitionTable.read(d);
            assertEquals(PartitionTable.Scheme.DOS, t.scheme());
            List<long[]> theirs = sfdisk(img);
            assertEquals(theirs.size(), t.partitions().size());
            for (int i = 0; i < theirs.size(); i++) {
                Partition p = t.partitions().get(i);
                assertArrayEquals(theirs.get(i), new long[] {p.number(), p.startLba(), p.blockCount()});
            }
            for (Partition p : t.partitions()) {
                if (!p.extended()) {
                    fat(img, p, p.number() == 1 ? "12" : p.number() == 5 ? "16" : "32");
                }
            }
        }
        try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
            for (Partition p : PartitionTable.read(d).partitions()) {
                if (!p.extended()) {
                    assertMountsAndReads(d, p);
                }
            }
        }
    }

    @Test(timeout = 30000)
    public void gptAsSfdiskMadeItAlsoWithItsPrimaryHeaderDamaged() throws Exception {
        HostTools.require("sfdisk", "mkfs.fat", "mcopy");
        Path img = image("label: gpt\n,8M,U\n,16M,L\n");
        List<Partition> parts;
        try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
            PartitionTable t = PartitionTable.read(d);
            assertEquals(PartitionTable.Scheme.GPT, t.scheme());
            parts = t.partitions();
            List<long[]> theirs = sfdisk(img);
            assertEquals(2, theirs.size());
            for (int i = 0; i < theirs.size(); i++) {
                assertArrayEquals(theirs.get(i), new long[] {parts.get(i).number(), parts.get(i).startLba(),
                        parts.get(i).blockCount()});
            }
            assertEquals("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", parts.get(0).type());
        }
        fat(img, parts.get(0), "12");
        fat(img, parts.get(1), "16");
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), 512); // the primary header's signature
        }
        try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
            PartitionTable t = PartitionTable.read(d);
            assertEquals(parts, t.partitions());
            assertTrue(t.problems().get(0), t.problems().get(0).startsWith("GPT: the primary header is damaged"));
            for (Partition p : t.partitions()) {
                assertMountsAndReads(d, p);
            }
        }
    }
}
