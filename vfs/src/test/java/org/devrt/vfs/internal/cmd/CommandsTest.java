package org.devrt.vfs.internal.cmd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CommandsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final Shell sh;
    private final FileCommands f;
    private final VolumeCommands v;

    public CommandsTest() throws Exception {
        sh = new Shell();
        f = sh.files;
        v = sh.volumes;
    }

    @After
    public void close() {
        sh.close();
    }

    @Test(timeout = 10000)
    public void aSessionWithEveryFileCommand() throws Exception {
        Path host = tmp.newFile("Notes from the host.txt").toPath();
        Files.writeString(host, "grüße\n");
        assertEquals("", f.mkdir("-p", "/mnt/sda1/docs/2024 May"));
        assertEquals("copied 8 bytes to /mnt/sda1/docs/Notes from the host.txt\n", f.put(host.toString(),
                "/mnt/sda1/docs"));
        assertEquals("grüße\n", f.cat("/mnt/sda1/docs/notes from the host.txt"));
        assertEquals("2024 May/\nNotes from the host.txt\n", f.ls("/mnt/sda1/docs"));
        assertEquals("drw-          0 2024-05-17 10:20 2024 May/\n-rw-          8 2024-05-17 10:20 Notes from the"
                + " host.txt\n", f.ls("-l", "/mnt/sda1/docs"));
        assertEquals("", f.mv("/mnt/sda1/docs/Notes from the host.txt", "/mnt/sda1/docs/2024 May"));
        assertEquals("Notes from the host.txt\n", f.ls("/mnt/sda1/docs/2024 May"));
        assertTrue(f.stat("/mnt/sda1/docs/2024 May/Notes from the host.txt").contains(
                "  Name: Notes from the host.txt  (8.3: NOTESF~1.TXT)\n  Type: file  Size: 8  Attributes: rw-\n"));
        Path back = tmp.getRoot().toPath().resolve("back.txt");
        assertEquals("copied 8 bytes to " + back + "\n", f.get("/mnt/sda1/docs/2024 May/Notes from the host.txt",
                back.toString()));
        assertEquals("grüße\n", Files.readString(back));
        assertEquals("rm: /mnt/sda1/docs: is a directory (rm -r deletes it and all it holds)", f.rm("/mnt/sda1/docs"));
        assertEquals("", f.rm("-r", "/mnt/sda1/docs"));
        assertEquals("", f.ls("/mnt/sda1"));
        assertEquals("mnt/\n", f.ls());
        assertEquals("sda1/\n", f.ls("/mnt"));
    }

    @Test(timeout = 10000)
    public void writeReplacesOrAppendsAndCatReadsIt() throws Exception {
        assertEquals("", f.write("/mnt/sda1/hello.txt", "hello", "from", "devrt"));
        assertEquals("hello from devrt\n", f.cat("/mnt/sda1/hello.txt"));
        assertEquals("", f.write("-a", "/mnt/sda1/hello.txt", "grüße"));
        assertEquals("hello from devrt\ngrüße\n", f.cat("/mnt/sda1/hello.txt"));
        assertEquals("", f.write("/mnt/sda1/hello.txt", "again"));
        assertEquals("again\n", f.cat("/mnt/sda1/hello.txt"));
        assertEquals("write: missing <text>\n" + FileCommands.WRITE, f.write("/mnt/sda1/hello.txt"));
        assertEquals("write: /mnt/x.txt: no such file or directory: not on a mounted volume", f.write("/mnt/x.txt", "x"));
    }

    @Test(timeout = 10000)
    public void aVolumesRootExistsAndAFileIsNoDirectory() throws Exception {
        assertEquals("said 'the root directory cannot be changed'", "mkdir: /mnt/sda1: already exists",
                f.mkdir("/mnt/sda1"));
        assertEquals("", f.mkdir("-p", "/mnt/sda1"));
        assertEquals("", f.write("/mnt/sda1/notes.txt", "text"));
        assertEquals("listed the file", "ls: /mnt/sda1/notes.txt/: not a directory", f.ls("/mnt/sda1/notes.txt/"));
        assertEquals("/mnt/sda1/notes.txt\n", f.ls("/mnt/sda1/notes.txt"));
    }

    @Test(timeout = 10000)
    public void mkfsTakesOnlyAClusterSizeItCanMake() throws Exception {
        assertTrue(v.mkfs("-s", "0", "sda2"), v.mkfs("-s", "0", "sda2").startsWith(
                "mkfs: -s 0: sectors per cluster are a power of two from 1 to 128\nusage: mkfs"));
    }

    @Test(timeout = 10000)
    public void volumeCommands() throws Exception {
        assertEquals("sda1 on /mnt/sda1 type vfat (rw,FAT16,label=DATA)\n", v.mount());
        String df = v.df();
        assertTrue(df, df.startsWith("Filesystem 1K-blocks Used Available Use% Mounted on\nsda1      "));
        assertEquals("Filesystem Size Used Avail Use% Mounted on\nsda1        15M    0   15M   0% /mnt/sda1\n",
                v.df("-h"));
        assertEquals("sda2: FAT16, 4981 clusters of 2048 bytes, 20000 sectors of 512 bytes\n" // as mkfs.fat makes it
                + "not mounted: 'mount sda2 /mnt/sda2' mounts it\n",
                v.mkfs("-n", "second", "sda2"));
        assertEquals("", v.mount("-o", "ro", "sda2", "/mnt/second"));
        assertEquals("sda1 on /mnt/sda1 type vfat (rw,FAT16,label=DATA)\n"
                + "sda2 on /mnt/second type vfat (ro,FAT16,label=SECOND)\n", v.mount());
        assertEquals("", v.sync());
        assertEquals("", v.umount("sda2"));
        assertEquals("", v.umount("/mnt/sda1"));
        assertEquals("", v.mount());
    }

    /** /dev/null stands for a host's disk, which get must never write; a FIFO with no writer would block put. */
    @Test(timeout = 10000)
    public void putAndGetRefuseHostPathsThatAreNotRegularFiles() throws Exception {
        assertEquals("", f.write("/mnt/sda1/a.txt", "text"));
        assertEquals("get: /dev/null is a device or other special file on the host, not a regular file",
                f.get("/mnt/sda1/a.txt", "/dev/null"));
        Path fifo = tmp.getRoot().toPath().resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals("mkfifo's exit status", 0, mkfifo.waitFor());
        assertEquals("put: " + fifo + " is a device or other special file on the host, not a regular file",
                f.put(fifo.toString(), "/mnt/sda1/b.txt"));
        assertEquals("nothing was made in the VFS", "a.txt\n", f.ls("/mnt/sda1"));
    }

    /** An empty host path names none: get wrote into the folder devrt was started from. */
    @Test(timeout = 10000)
    public void putAndGetRefuseAnEmptyHostPath() throws Exception {
        assertEquals("", f.write("/mnt/sda1/keep.txt", "text"));
        assertEquals("get: '': no such file or directory on the host (an empty path names none)\n"
                + FileCommands.GET,
                f.get("/mnt/sda1/keep.txt", ""));
        assertFalse("nothing written to the working folder", Files.exists(Path.of("keep.txt")));
        assertEquals("put: '': no such file or directory on the host (an empty path names none)\n"
                + FileCommands.PUT,
                f.put("", "/mnt/sda1/e.txt"));
    }

    @Test(timeout = 10000)
    public void aFailingOperandIsSaidAndTheOthersAreStillDoneAsCoreutilsDo() throws Exception {
        assertEquals("", f.write("/mnt/sda1/a.txt", "A"));
        assertEquals("", f.write("/mnt/sda1/b.txt", "B"));
        assertEquals("A\ncat: /mnt/sda1/none.txt: no such file or directory\nB\n",
                f.cat("/mnt/sda1/a.txt", "/mnt/sda1/none.txt", "/mnt/sda1/b.txt"));
        assertEquals("mkdir: /mnt/sda1/a.txt: already exists", f.mkdir("/mnt/sda1/n1", "/mnt/sda1/a.txt"));
        assertEquals("rm: /mnt/sda1/none.txt: no such file or directory\n",
                f.rm("/mnt/sda1/none.txt", "/mnt/sda1/a.txt"));
        assertEquals("b.txt\nn1/\n", f.ls("/mnt/sda1"));
        assertEquals("ls: /mnt/sda1/none: no such file or directory\n/mnt/sda1/n1:\n",
                f.ls("/mnt/sda1/none", "/mnt/sda1/n1"));
    }

    /** rm -r deleted everything under the mount point and only then said it would not delete a mount point. */
    @Test(timeout = 10000)
    public void rmRefusesAMountPointOrWhatHoldsOneBeforeDeletingAnything() throws Exception {
        assertEquals("", f.mkdir("-p", "/mnt/sda1/docs/deep"));
        assertEquals("", f.write("/mnt/sda1/docs/deep/keep.txt", "kept"));
        String why = ": rm deletes inside a volume, never a volume (umount it; mkfs empties it)";
        assertEquals("rm: /mnt/sda1: is a mount point" + why, f.rm("-r", "/mnt/sda1"));
        assertEquals("rm: /mnt/./sda1/: is a mount point" + why, f.rm("-r", "/mnt/./sda1/"));
        assertEquals("rm: /: holds the mount point /mnt/sda1" + why, f.rm("-r", "/"));
        assertEquals("kept\n", f.cat("/mnt/sda1/docs/deep/keep.txt"));
        assertEquals("", f.rm("-r", "/mnt/sda1/docs"));
        assertEquals("", f.ls("/mnt/sda1"));
    }

    /** A get that failed at its first block (a damaged chain, a disk gone) emptied the host file it was to replace. */
    @Test(timeout = 10000)
    public void aGetThatFailsBeforeItsFirstByteLeavesTheHostFileAsItWas() throws Exception {
        Path data = hostFile("data.bin", 3 << 20);
        f.put(data.toString(), "/mnt/sda1/old.bin");
        f.put(data.toString(), "/mnt/sda1/other.bin"); // old.bin's blocks leave the 1 MiB cache
        assertEquals("", v.sync());
        Path keep = tmp.newFile("keep.txt").toPath();
        Files.writeString(keep, "precious host data\n");
        Path none = tmp.getRoot().toPath().resolve("none.txt");
        sh.disk.unplug();

        String out = f.get("/mnt/sda1/old.bin", keep.toString());
        String again = f.get("/mnt/sda1/old.bin", none.toString());

        assertTrue(out, out.startsWith("get: " + keep + ": "));
        assertEquals("the host file after the failed get", "precious host data\n", Files.readString(keep));
        assertTrue(again, again.startsWith("get: " + none + ": "));
        assertFalse("a failed get left an empty host file it had made", Files.exists(none));
    }

    /**
     * A surprise removal under put: the message said the file held what had only reached the cache (the helper's
     * image had 1 MiB less than it said).
     */
    @Test(timeout = 10000)
    public void aPutCutByASurpriseRemovalDoesNotClaimTheBytesReachedTheDisk() throws Exception {
        Path data = hostFile("data.bin", 3 << 20);
        sh.disk.unplugAfterWrites(8);

        String out = f.put(data.toString(), "/mnt/sda1/new.bin");

        assertTrue(out, out.startsWith("put: ") && out.matches("(?s).*; \\d+ of " + (3 << 20) + " bytes had been"
                + " written to /mnt/sda1/new.bin, which keeps those written back to the disk before it went"));
    }

    /** "write: no space left on the volume" said not which write; nor did mkdir. */
    @Test(timeout = 10000)
    public void aFullVolumeIsSaidNamingThePathWriteAndMkdirWanted() throws Exception {
        Path big = tmp.getRoot().toPath().resolve("big.bin");
        try (java.io.RandomAccessFile r = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            r.setLength(16 << 20); // more than sda1's 15 MB
        }
        String put = f.put(big.toString(), "/mnt/sda1/big.bin");
        assertTrue(put, put.startsWith("put: no space left on the volume"));

        String write = f.write("/mnt/sda1/more.txt", "more");
        String mkdir = f.mkdir("/mnt/sda1/dir");

        assertTrue(write, write.startsWith("write: /mnt/sda1/more.txt: no space left on the volume ("));
        assertTrue(mkdir, mkdir.startsWith("mkdir: /mnt/sda1/dir: no space left on the volume ("));

        // a copy that gets no space at all leaves no empty file behind (it left a 0-byte copy.bin)
        String cp = f.cp("/mnt/sda1/big.bin", "/mnt/sda1/copy.bin");
        assertTrue(cp, cp.startsWith("cp: /mnt/sda1/copy.bin: no space left on the volume"));
        assertFalse(f.ls("/mnt/sda1"), f.ls("/mnt/sda1").contains("copy.bin"));
    }

    private Path hostFile(String name, int bytes) throws IOException {
        byte[] content = new byte[bytes];
        new java.util.Random(7).nextBytes(content);
        return Files.write(tmp.getRoot().toPath().resolve(name), content);
    }

    /** put of a 4 GiB + 10 B file wrote 4 GiB for half a minute, then failed, leaving a 4 GiB file. */
    @Test(timeout = 10000)
    public void putRefusesAHostFileLargerThanFatCanHoldBeforeWritingAnything() throws Exception {
        Path big = tmp.getRoot().toPath().resolve("big.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((4L << 30) + 10); // sparse
        }
        assertEquals("put: " + big + " is 4294967306 bytes; a FAT file holds at most 4294967295 (4 GiB - 1)",
                f.put(big.toString(), "/mnt/sda1/big.bin"));
        assertEquals("nothing was made", "", f.ls("/mnt/sda1"));
    }

    /** write and put to "name/" made a file called name. */
    @Test(timeout = 10000)
    public void aPathEndingInASlashIsNeverOpenedAsAFile() throws Exception {
        Path host = tmp.newFile("h.txt").toPath();
        assertEquals("write: /mnt/sda1/file.txt/: not a directory", f.write("/mnt/sda1/file.txt/", "x"));
        assertEquals("put: /mnt/sda1/nodir/: not a directory", f.put(host.toString(), "/mnt/sda1/nodir/"));
        assertEquals("", f.write("/mnt/sda1/file.txt", "x"));
        assertEquals("cat: /mnt/sda1/file.txt/: not a directory", f.cat("/mnt/sda1/file.txt/"));
        assertEquals("", f.mkdir("/mnt/sda1/dir"));
        assertEquals("cat: /mnt/sda1/dir/: is a directory", f.cat("/mnt/sda1/dir/"));
        assertEquals("file.txt\ndir/\n", f.ls("/mnt/sda1"));
    }

    /** df printed only its header for anything but an exact mount point. */
    @Test(timeout = 10000)
    public void dfShowsTheVolumeThatHoldsAPathOrIsMountedFromASource() throws Exception {
        assertEquals("", f.mkdir("/mnt/sda1/deep"));
        String row = "sda1        15M 2.0K   15M   1% /mnt/sda1\n"; // the directory: one cluster
        String header = "Filesystem Size Used Avail Use% Mounted on\n";
        assertEquals(header + row, v.df("-h", "/mnt/sda1/deep"));
        assertEquals(header + row, v.df("-h", "sda1"));
        assertEquals(header + row, v.df("-h", "/mnt/sda1/"));
        assertEquals("df: /mnt/none: no such file or directory: not on a mounted volume\n" + header + row,
                v.df("-h", "/mnt/none", "/mnt/sda1"));
        assertEquals("df: /mnt: not on a mounted volume", v.df("/mnt"));
        assertEquals("df: sdq1: neither a mounted source (sda1) nor an absolute path", v.df("sdq1"));
    }

    @Test(timeout = 10000)
    public void mistakesGetOneLineAndTheUsage() throws Exception {
        assertEquals("ls: /mnt/sda1/nope: no such file or directory", f.ls("/mnt/sda1/nope"));
        assertEquals("ls: unknown option -x\n" + FileCommands.LS, f.ls("-x"));
        assertEquals("cat: missing <path>\n" + FileCommands.CAT, f.cat());
        assertEquals("put: missing <vfs-path>\n" + FileCommands.PUT, f.put("/etc/hostname"));
        assertEquals("put: /no/such/host/file: no such file on the host", f.put("/no/such/host/file", "/mnt/sda1"));
        assertEquals("mkdir: /mnt/x: cannot create a directory outside a mounted volume", f.mkdir("/mnt/x"));
        assertEquals("mv: /mnt/sda1/a: no such file or directory", f.mv("/mnt/sda1/a", "/mnt/sda1/b"));
        assertEquals("ls: path 'relative' must be absolute (start with /): the shell is not in the VFS ('cd /mnt/sda1'"
                + " takes it there)\n" + FileCommands.LS, f.ls("relative"));
        assertEquals("mkfs: sda1: is mounted on /mnt/sda1: umount it first", v.mkfs("sda1"));
        assertEquals("mkfs: -F 13: the FAT type is 12, 16 or 32\n" + VolumeCommands.MKFS, v.mkfs("-F", "13", "sda2"));
        assertTrue(v.mkfs("-F", "32", "sda2"), v.mkfs("-F", "32", "sda2").startsWith("mkfs: 10240000 bytes make "));
        assertEquals("umount: /mnt/zz: not a mount point", v.umount("/mnt/zz"));
        assertEquals("mount: sdq1: no such disk (disks: sda)", v.mount("sdq1", "/mnt/q"));
        assertEquals("mount: -o: only ro and rw are known\n".replace("-o:", "option -o noexec:") + VolumeCommands.MOUNT,
                v.mount("-o", "noexec", "sda2", "/mnt/q"));
        for (String w : new String[] {"ls", "cat", "put", "get", "mkdir", "rm", "mv", "stat"}) {
            String help = (String) FileCommands.class.getMethod(w, String[].class).invoke(f, (Object) new String[] {"--help"});
            assertTrue(w, help.startsWith("usage: " + w));
        }
        for (String w : new String[] {"mount", "umount", "df", "sync", "mkfs"}) {
            Method m = VolumeCommands.class.getMethod(w, String[].class);
            assertTrue(w, ((String) m.invoke(v, (Object) new String[] {"--help"})).startsWith("usage: " + w));
        }
        assertFalse(f.cat("/mnt/sda1").contains("Exception"));
    }

    @Test
    public void dfSizesAsDfPrintsThem() {
        assertEquals("1", VolumeCommands.size(1, false));
        assertEquals("1000B", VolumeCommands.size(1000, true));
        assertEquals("0", VolumeCommands.size(0, true));
        assertEquals("1.0K", VolumeCommands.size(1024, true));
        assertEquals("9.8M", VolumeCommands.size(10_240_000, true));
        assertEquals("14M", VolumeCommands.size(14_000_000, true));
        assertEquals("1.0G", VolumeCommands.size((1L << 30) - 1, true));
    }
}
