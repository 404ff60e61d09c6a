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
import org.devrt.vfs.internal.fat.FatFormatter;
import org.devrt.vfs.internal.fat.FatType;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Images partitioned by sfdisk: devrt finds the partitions sfdisk reports and mounts every FAT one. And the other way:
 * sfdisk reads, and verifies, the tables devrt's {@link PartitionWriter} writes, and fsck.fat the volumes devrt formats
 * in them.
 */
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

    /** A sparse image of {@code mib} MiB with nothing on it. */
    private Path blank(int mib) throws Exception {
        Path img = tmp.newFile().toPath();
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), ((long) mib << 20) - 1);
        }
        return img;
    }

    private static void assertSfdiskSees(Path img, List<PartitionWriter.Placed> placed) throws Exception {
        List<long[]> theirs = sfdisk(img);
        assertEquals("partitions sfdisk lists", placed.size(), theirs.size());
        for (int i = 0; i < placed.size(); i++) {
            assertArrayEquals("partition " + (i + 1) + " {number, start, size} as sfdisk reads it",
                    new long[] {i + 1, placed.get(i).startLba(), placed.get(i).blockCount()}, theirs.get(i));
        }
        HostTools.Result verify = HostTools.run("sfdisk", "--verify", img.toString());
        assertEquals("sfdisk --verify: " + verify.out() + verify.err(), 0, verify.exit());
    }

    private static String labelId(String sfdiskDump) {
        return sfdiskDump.lines().filter(l -> l.startsWith("label-id: ")).map(l -> l.substring(10).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no label-id in:\n" + sfdiskDump));
    }

    private static void formatAndFsck(Path img, List<PartitionWriter.Placed> placed, List<FatType> types)
            throws Exception {
        try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
            for (int i = 0; i < placed.size(); i++) {
                PartitionWriter.Placed p = placed.get(i);
                FatFormatter.format(new BlockCache(d, p.startLba(), p.blockCount(), 1 << 20), 512,
                        new FatFormatter.Options(types.get(i), 0, "P" + (i + 1), null, p.startLba()),
                        Clock.systemUTC());
            }
        }
        for (int i = 0; i < placed.size(); i++) {
            PartitionWriter.Placed p = placed.get(i);
            Path part = img.resolveSibling(img.getFileName() + ".p" + (i + 1));
            try (FileChannel from = FileChannel.open(img); FileChannel to = FileChannel.open(part,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                from.transferTo(p.startLba() * 512, p.blockCount() * 512, to);
            }
            HostTools.Result fsck = HostTools.run("fsck.fat", "-n", part.toString());
            assertEquals("fsck.fat -n of partition " + (i + 1) + ":\n" + fsck.out() + fsck.err(), 0, fsck.exit());
        }
    }

    @Test(timeout = 30000)
    public void theMbrDevrtWritesIsTheOneSfdiskReadsAndItsVolumesAreClean() throws Exception {
        HostTools.require("sfdisk", "fsck.fat");
        Path img = blank(120);
        List<PartitionWriter.Placed> placed;
        try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
            placed = PartitionWriter.writeMbr(d, List.of(new PartitionWriter.Spec(20 << 20, 0x0E, ""),
                    new PartitionWriter.Spec(0, 0x0C, "")));
        }
        assertEquals(new PartitionWriter.Placed(2048, 20 << 11), placed.get(0));
        assertSfdiskSees(img, placed);
        String dump = HostTools.run("sfdisk", "-d", img.toString()).ok().out();
        assertTrue("sfdisk -d shows the types (e, c):\n" + dump, dump.contains("type=e") && dump.contains("type=c"));
        formatAndFsck(img, placed, List.of(FatType.FAT16, FatType.FAT32));
        // a disk signature as fdisk writes one: with 0 on every disk, Linux's PARTUUIDs (00000000-01) collided
        Path other = blank(120);
        try (FileBlockDevice d = new FileBlockDevice(other, 512)) {
            PartitionWriter.writeMbr(d, List.of(new PartitionWriter.Spec(0, 0x0C, "")));
        }
        String id = labelId(dump);
        String otherId = labelId(HostTools.run("sfdisk", "-d", other.toString()).ok().out());
        assertTrue("disk signatures " + id + " and " + otherId + ": not 0, and each disk its own",
                !id.equals("0x00000000") && !id.equals(otherId));
    }

    @Test(timeout = 30000)
    public void theGptDevrtWritesIsTheOneSfdiskReadsAndVerifiesAndItsVolumesAreClean() throws Exception {
        HostTools.require("sfdisk", "fsck.fat");
        Path img = blank(130);
        List<PartitionWriter.Placed> placed;
        try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
            placed = PartitionWriter.writeGpt(d, List.of(new PartitionWriter.Spec(40 << 20, 0x0C, "data"),
                    new PartitionWriter.Spec(16 << 20, 0x0E, "logs"), new PartitionWriter.Spec(0, 0x0C, "rest")));
            PartitionTable t = PartitionTable.read(d);
            assertEquals(PartitionTable.Scheme.GPT, t.scheme());
            assertEquals(List.of("data", "logs", "rest"), t.partitions().stream().map(Partition::name).toList());
        }
        String json = HostTools.run("sfdisk", "-J", img.toString()).ok().out();
        assertTrue("sfdisk -J says gpt:\n" + json, json.contains("\"label\": \"gpt\""));
        assertSfdiskSees(img, placed);
        formatAndFsck(img, placed, List.of(FatType.FAT32, FatType.FAT16, FatType.FAT32));
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), 512); // the primary header: devrt falls back to the backup
        }
        try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
            assertEquals(3, PartitionTable.read(d).partitions().size());
        }
    }
}
