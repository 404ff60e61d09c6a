package org.devrt.vfs.internal.fat;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.fakes.FileBlockDevice;
import org.devrt.vfs.internal.fakes.HostTools;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** devrt and Linux's FAT tools read each other's volumes byte for byte; fsck.fat finds nothing wrong with ours. */
public class FatInteropTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** {FAT type, sectors per cluster, KiB} */
    private static final int[][] VOLUMES = {{12, 1, 1800}, {12, 4, 7000}, {16, 1, 16384}, {16, 4, 32768},
        {16, 16, 65536}, {32, 1, 40960}, {32, 8, 290_000}};

    private static FatFileSystem mount(FileBlockDevice d, boolean readOnly) throws IOException {
        return FatFileSystem.mount(new BlockCache(d, 0, d.blockCount(), 4 << 20), "/mnt/img", readOnly,
                Fixtures.CLOCK);
    }

    private static int bigFile(int kib) {
        return Math.min(3 << 20, kib * 1024 / 4);
    }

    @Test(timeout = 60000)
    public void devrtReadsWhatMkfsFatAndMcopyWrote() throws Exception {
        HostTools.require("mkfs.fat", "mcopy");
        for (int[] v : VOLUMES) {
            Path img = tmp.getRoot().toPath().resolve("m" + v[0] + "-" + v[1] + ".img");
            Path src = tmp.newFolder().toPath();
            HostTree.make(src, 512 * v[1], bigFile(v[2]), v[2]);
            HostTools.run("mkfs.fat", "-C", "-F", "" + v[0], "-s", "" + v[1], img.toString(), "" + v[2]).ok();
            List<String> mcopy = new ArrayList<>(List.of("mcopy", "-s", "-i", img.toString()));
            for (File f : src.toFile().listFiles()) {
                mcopy.add(f.getPath());
            }
            mcopy.add("::");
            HostTools.run(mcopy.toArray(String[]::new)).ok();
            try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
                FatFileSystem fs = mount(d, true);
                assertEquals(FatType.valueOf("FAT" + v[0]), fs.type());
                HostTree.assertSame(src, fs, List.of());
            }
            Files.delete(img);
        }
    }

    @Test(timeout = 60000)
    public void toolsReadWhatDevrtWroteAndFsckFindsNothing() throws Exception {
        HostTools.require("fsck.fat", "mcopy", "mtype", "mkfs.fat");
        for (int[] v : VOLUMES) {
            for (boolean ownMkfs : new boolean[] {true, false}) {
                if (!ownMkfs && v[1] != 1) {
                    continue;
                }
                Path img = tmp.getRoot().toPath().resolve("w" + v[0] + "-" + v[1] + ".img");
                Path src = tmp.newFolder().toPath();
                HostTree.make(src, 512 * v[1], bigFile(v[2]), v[2] + 1);
                if (ownMkfs) {
                    Files.write(img, new byte[0]);
                    try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
                        ch.truncate(0).write(java.nio.ByteBuffer.allocate(1), v[2] * 1024L - 1);
                    }
                    try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
                        FatFormatter.format(new BlockCache(d, 0, d.blockCount(), 1 << 20), 512, new FatFormatter.Options(
                                FatType.valueOf("FAT" + v[0]), v[1], "DEVRT", 0xCAFEL, 0), Fixtures.CLOCK);
                    }
                } else {
                    HostTools.run("mkfs.fat", "-C", "-F", "" + v[0], "-s", "" + v[1], img.toString(), "" + v[2]).ok();
                }
                try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
                    FatFileSystem fs = mount(d, false);
                    HostTree.copyIn(src, fs, List.of());
                    fs.unmount();
                }
                String what = "FAT" + v[0] + " -s " + v[1] + (ownMkfs ? " (devrt mkfs)" : " (mkfs.fat)");
                HostTools.Result fsck = HostTools.run("fsck.fat", "-n", img.toString());
                assertEquals(what + ": " + fsck.out() + fsck.err(), 0, fsck.exit());
                assertFalse(what + ": " + fsck.out(), fsck.out().contains("\n  ") || fsck.out().contains("differ"));
                Path out = tmp.newFolder().toPath();
                HostTools.run("mcopy", "-s", "-n", "-i", img.toString(), "::*", out.toString()).ok();
                HostTree.assertSame(src, out);
                HostTools.Result type = HostTools.run("mtype", "-i", img.toString(), "::Ünïcødé – 文件 naïve.txt").ok();
                assertEquals("grüße, 世界\n", type.out());
                Files.delete(img);
            }
        }
    }

    @Test(timeout = 60000)
    public void aLabelAndTheVolumeSerialAreWhatMtoolsShows() throws Exception {
        HostTools.require("mdir");
        Path img = tmp.getRoot().toPath().resolve("label.img");
        try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(1), (8 << 20) - 1);
        }
        try (FileBlockDevice d = new FileBlockDevice(img, 512)) {
            FatFormatter.format(new BlockCache(d, 0, d.blockCount(), 1 << 20), 512,
                    new FatFormatter.Options(null, 0, "my disk", 0x1234ABCDL, 0), Fixtures.CLOCK);
        }
        String mdir = HostTools.run("mdir", "-i", img.toString(), "::").ok().out();
        assertArrayEquals(new String[] {" Volume in drive : is MY DISK", " Volume Serial Number is 1234-ABCD"},
                mdir.lines().limit(2).map(String::stripTrailing).toArray());
    }
}
