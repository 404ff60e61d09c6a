package org.devrt.vfs.internal.cmd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.felix.service.command.CommandSession;
import org.devrt.vfs.internal.nio.VfsFileSystem;
import org.devrt.vfs.internal.nio.VfsUrlHandler;
import org.junit.After;
import org.junit.Test;

/** cd, pwd, relative operands, and the VFS as a java.nio FileSystem over a real FAT volume (sda1 of {@link Shell}). */
public class WorkingDirectoryTest {
    private final Shell sh;
    private final FileCommands f;
    /** The session's working directory, as Gogo keeps it: the host folder until cd. */
    private final AtomicReference<Path> cwd = new AtomicReference<>(Path.of("").toAbsolutePath());
    private final CommandSession session;
    private final java.util.Map<String, Object> variables = new java.util.HashMap<>();

    public WorkingDirectoryTest() throws Exception {
        sh = new Shell();
        f = sh.files;
        f.workingDirectory = cwd::get;
        sh.volumes.workingDirectory = cwd::get;
        session = (CommandSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CommandSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "currentDir" -> {
                        if (args == null) {
                            yield cwd.get();
                        }
                        cwd.set((Path) args[0]);
                        yield null;
                    }
                    case "get" -> variables.get((String) args[0]);
                    case "put" -> variables.put((String) args[0], args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @After
    public void close() {
        sh.close();
    }

    /** Unmounted from under it, the shell was left in a directory that was gone. */
    @Test(timeout = 10000)
    public void aVolumeHoldingTheShellsWorkingDirectoryIsUnmountedOnlyWithForce() {
        assertEquals("", f.mkdir("/mnt/sda1/docs"));
        assertEquals("", f.cd(session, "/mnt/sda1/docs"));
        assertEquals("umount: /mnt/sda1: busy: the shell's working directory /mnt/sda1/docs is in it ('cd /' first,"
                + " or -f)", sh.volumes.umount("sda1"));
        assertEquals("", f.cd(session, "/"));
        assertEquals("umount: /: not a mount point", sh.volumes.umount("/"));
        assertEquals("", sh.volumes.umount("sda1"));
    }

    /** Not a mount point is said first: 'umount /' said "busy: the shell's working directory / is in it". */
    @Test(timeout = 10000)
    public void whatIsNoMountPointIsSaidSoWhereverTheShellIs() {
        assertEquals("", f.cd(session, "/mnt/sda1"));
        assertEquals("umount: /mnt: not a mount point", sh.volumes.umount("/mnt"));
        assertEquals("umount: /mnt/sda1/x: not a mount point", sh.volumes.umount("/mnt/sda1/x/"));
    }

    @Test(timeout = 10000)
    public void cdTakesTheShellIntoTheVfsWhereRelativePathsAreRead() {
        assertEquals("", f.mkdir("-p", "/mnt/sda1/docs/old"));
        assertTrue(f.pwd(session), f.pwd(session).endsWith(" (on the host: 'cd' takes the shell into the VFS)\n"));
        assertEquals("", f.cd(session, "/mnt/sda1/docs"));
        assertEquals("/mnt/sda1/docs\n", f.pwd(session));
        assertEquals("", f.write("a.txt", "alpha"));
        assertEquals("alpha\n", f.cat("/mnt/sda1/docs/a.txt"));
        assertEquals("alpha\n", f.cat("./A.TXT"));
        assertEquals("old/\na.txt\n", f.ls()); // in the order the directory holds them
        assertEquals("", f.mv("a.txt", "old"));
        assertEquals("a.txt\n", f.ls("old"));
        assertEquals("", f.cd(session, "old"));
        assertEquals("/mnt/sda1/docs/old\n", f.pwd(session));
        assertEquals("", f.cd(session, ".."));
        assertEquals("/mnt/sda1/docs\n", f.pwd(session));
        assertTrue(f.stat("old/a.txt").startsWith("  File: old/a.txt\n"));
        assertTrue(sh.volumes.df("."), sh.volumes.df(".").endsWith(" /mnt/sda1\n"));
        assertEquals("", f.rm("-r", "old"));
        assertEquals("", f.ls());
        assertEquals("", f.cd(session));
        assertEquals("/\n", f.pwd(session));
        assertEquals("mnt/\n", f.ls());
    }

    /** A working directory removed from under the shell: 'cd ..' still goes up (it failed naming the removed one). */
    @Test(timeout = 10000)
    public void cdDotDotLeavesAWorkingDirectoryThatWasRemoved() {
        assertEquals("", f.mkdir("-p", "/mnt/sda1/dir1"));
        assertEquals("", f.cd(session, "/mnt/sda1/dir1"));
        assertEquals("", f.rm("-r", "/mnt/sda1/dir1"));
        assertEquals("", f.cd(session, ".."));
        assertEquals("/mnt/sda1\n", f.pwd(session));
        assertEquals("/mnt/x", WorkingDirectory.resolve(cwd.get(), "../x"));
        assertEquals("/", WorkingDirectory.resolve(cwd.get(), "../../../.."));
    }

    @Test(timeout = 10000)
    public void cdDashGoesBackToTheDirectoryBefore() {
        assertEquals("cd: no previous directory ('cd -' goes back after a cd)", f.cd(session, "-"));
        assertEquals("", f.mkdir("/mnt/sda1/docs"));
        assertEquals("", f.cd(session, "/mnt/sda1"));
        assertEquals("", f.cd(session, "docs"));
        assertEquals("/mnt/sda1\n", f.cd(session, "-"));
        assertEquals("/mnt/sda1/docs\n", f.cd(session, "-"));
        assertEquals("/mnt/sda1/docs\n", f.pwd(session));
    }

    @Test(timeout = 10000)
    public void cdRefusesWhatIsNoDirectoryAndStaysWhereItWas() {
        assertEquals("", f.write("/mnt/sda1/file.txt", "x"));
        assertEquals("", f.cd(session, "/mnt/sda1"));
        assertEquals("cd: /mnt/sda1/file.txt: not a directory", f.cd(session, "file.txt"));
        assertEquals("cd: /mnt/sda1/nope: no such file or directory", f.cd(session, "nope"));
        assertEquals("cd: /mnt/sda1/file.txt: not a directory", f.cd(session, "file.txt/.."));
        assertEquals("cd: unexpected argument 'b'\n" + FileCommands.CD, f.cd(session, "a", "b"));
        assertEquals("pwd: unexpected argument 'x'\n" + FileCommands.PWD, f.pwd(session, "x"));
        assertEquals("/mnt/sda1\n", f.pwd(session));
    }

    @Test(timeout = 10000)
    public void aWorkingDirectoryOnAVfsThatWentIsGivenAgainOnTheVfsOfNow() throws Exception {
        assertEquals("", f.cd(session, "/mnt/sda1"));
        Path before = cwd.get();
        try (Shell again = new Shell()) { // the VFS bundle started again: another Vfs
            WorkingDirectoryListener listener = new WorkingDirectoryListener(again.table);
            listener.beforeExecute(session, "ls *.txt");
            assertTrue("on the new VFS's filesystem", cwd.get().getFileSystem() == VfsFileSystem.of(again.table));
            assertEquals("/mnt/sda1", cwd.get().toString());
            listener.beforeExecute(session, "ls");
            assertTrue("kept while it is current", cwd.get().getFileSystem() == VfsFileSystem.of(again.table));
        }
        assertTrue(before.getFileSystem() != cwd.get().getFileSystem());
        Path host = Path.of("").toAbsolutePath();
        cwd.set(host);
        new WorkingDirectoryListener(sh.table).beforeExecute(session, "ls");
        assertEquals("a host folder stays", host, cwd.get());
    }

    @Test(timeout = 10000)
    public void rmAndMvRefuseDotAndDotDotBeforeTouchingAnything() {
        assertEquals("", f.mkdir("-p", "/mnt/sda1/t/w"));
        assertEquals("", f.write("/mnt/sda1/t/keep.txt", "kept"));
        assertEquals("", f.cd(session, "/mnt/sda1/t/w"));
        assertEquals("rm: .: refusing to remove '.' or '..' (name the directory)", f.rm("-r", "."));
        assertEquals("rm: ..: refusing to remove '.' or '..' (name the directory)", f.rm("-r", ".."));
        assertEquals("rm: ../w/..: refusing to remove '.' or '..' (name the directory)", f.rm("-r", "../w/.."));
        assertEquals("mv: .: refusing to move '.' or '..' (name the directory)", f.mv(".", "../x"));
        assertEquals("kept\n", f.cat("../keep.txt"));
        assertEquals("w/\nkeep.txt\n", f.ls(".."));
    }

    @Test(timeout = 10000)
    public void lsNamesAFileAsItsOperandAndCdTakesTheStoredNames() {
        assertEquals("", f.mkdir("/mnt/sda1/docs"));
        assertEquals("", f.write("/mnt/sda1/docs/one.txt", "1"));
        assertEquals("", f.cd(session, "/mnt/sda1/DOCS/."));
        assertEquals("/mnt/sda1/docs\n", f.pwd(session));
        assertEquals("", f.cd(session, ".."));
        assertEquals("docs/one.txt\n", f.ls("docs/one.txt"));
        assertEquals("-rw-          2 2024-05-17 10:20 docs/one.txt\n", f.ls("-l", "docs/one.txt"));
        assertEquals("one.txt\n", f.ls("docs"));
    }

    @Test(timeout = 10000)
    public void relativeOperandsOnTheHostSayHowToEnterTheVfs() {
        assertTrue(f.cat("a.txt"), f.cat("a.txt").startsWith("cat: path 'a.txt' must be absolute (start with /): the"
                + " shell is not in the VFS ('cd /mnt/sda1' takes it there)\n"));
    }

    @Test(timeout = 10000)
    public void aRedirectionsHostPathResolvesInTheWorkingDirectory() throws IOException {
        assertEquals("", f.cd(session, "/mnt/sda1"));
        // Gogo: currentDir().resolve(Paths.get("notes.txt")) for `echo hi > notes.txt`
        Path target = cwd.get().resolve(Path.of("notes.txt"));
        assertEquals("/mnt/sda1/notes.txt", target.toString());
        Files.writeString(target, "hi\n");
        assertEquals("hi\n", f.cat("notes.txt"));
        assertEquals("/etc/x", cwd.get().resolve(Path.of("/etc/x")).toString());
    }

    @Test(timeout = 10000)
    public void aFailedRedirectionSaysWhatFailedWithoutAClassName() throws IOException {
        assertEquals("", f.mkdir("/mnt/sda1/docs"));
        assertEquals("", f.cd(session, "/mnt/sda1"));
        // Gogo prints what escapes a command line by its toString: `echo hi > nodir/z.txt`, `echo hi > docs`
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> Files.writeString(cwd.get().resolve(Path.of("nodir/z.txt")), "hi"));
        assertEquals("/mnt/sda1/nodir: no such file or directory", missing.toString());
        IOException directory = assertThrows(IOException.class,
                () -> Files.writeString(cwd.get().resolve(Path.of("docs")), "hi"));
        assertTrue(directory.toString(), directory.toString().startsWith("/mnt/sda1/docs: "));
        assertEquals("/mnt/sda1/docs: already exists", assertThrows(FileAlreadyExistsException.class,
                () -> Files.createDirectory(cwd.get().resolve("docs"))).toString());
    }

    @Test(timeout = 10000)
    public void aVfsFileReadsThroughItsUrl() throws IOException {
        assertEquals("", f.write("/mnt/sda1/two words.txt", "through a URL"));
        VfsUrlHandler handler = new VfsUrlHandler(sh.table);
        java.net.URI uri = sh.files.fs.getPath("/mnt/sda1/two words.txt").toUri();
        assertEquals("devrt-vfs:/mnt/sda1/two%20words.txt", uri.toString());
        java.net.URL url = new java.net.URL(null, uri.toString(), new java.net.URLStreamHandler() {
            @Override
            protected java.net.URLConnection openConnection(java.net.URL u) throws IOException {
                return handler.openConnection(u);
            }
        });
        try (java.io.InputStream in = url.openStream()) {
            assertEquals("through a URL\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(14, url.openConnection().getContentLengthLong());
        java.net.URI dir = sh.files.fs.getPath("/mnt/sda1").toUri();
        assertEquals("a directory's URI ends in /, so that resolving a name against it stays in it",
                "devrt-vfs:/mnt/sda1/two%20words.txt", dir.resolve("two%20words.txt").toString());
        java.net.URL missing = new java.net.URL(url, "nope.txt");
        assertEquals("/mnt/sda1/nope.txt: no such file or directory",
                assertThrows(NoSuchFileException.class, () -> missing.openStream()).toString());
    }

    @Test(timeout = 10000)
    public void filesOfJavaNioWorkOnTheVfs() throws IOException {
        Path root = sh.files.fs.getPath("/mnt/sda1");
        Path docs = Files.createDirectory(root.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "alpha\nbeta\n");
        Files.write(docs.resolve("b.log"), List.of("gamma"), StandardCharsets.UTF_8);
        assertEquals(List.of("alpha", "beta"), Files.readAllLines(docs.resolve("a.txt")));
        assertTrue(Files.isDirectory(docs));
        assertTrue(Files.isRegularFile(docs.resolve("a.txt")));
        assertFalse(Files.exists(docs.resolve("c.txt")));
        assertEquals(11, Files.size(docs.resolve("a.txt")));
        List<String> txt = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(docs, "*.txt")) {
            s.forEach(p -> txt.add(p.toString()));
        }
        assertEquals(List.of("/mnt/sda1/docs/a.txt"), txt);
        List<String> walked = new ArrayList<>();
        Files.walkFileTree(sh.files.fs.getPath("/"), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                walked.add(file + " " + attrs.size());
                return FileVisitResult.CONTINUE;
            }
        });
        assertEquals(List.of("/mnt/sda1/docs/a.txt 11", "/mnt/sda1/docs/b.log 6"), walked);
        Files.copy(docs.resolve("a.txt"), docs.resolve("copy.txt"));
        assertEquals("alpha\nbeta\n", f.cat("/mnt/sda1/docs/copy.txt"));
        assertThrows(FileAlreadyExistsException.class, () -> Files.copy(docs.resolve("a.txt"),
                docs.resolve("copy.txt")));
        Files.move(docs.resolve("copy.txt"), root.resolve("moved.txt"));
        assertEquals("alpha\nbeta\n", Files.readString(root.resolve("moved.txt")));
        assertTrue(Files.isSameFile(root.resolve("MOVED.TXT"), root.resolve("docs/../moved.txt")));
        Files.delete(root.resolve("moved.txt"));
        assertThrows(NoSuchFileException.class, () -> Files.delete(root.resolve("moved.txt")));
        assertThrows(AccessDeniedException.class, () -> root.getFileSystem().provider().checkAccess(
                docs.resolve("a.txt"), AccessMode.EXECUTE));
        assertEquals(11L, Files.readAttributes(docs.resolve("a.txt"), "basic:size,isDirectory").get("size"));
        assertTrue("one filesystem per Vfs, whichever component asks", VfsFileSystem.of(sh.table) == sh.files.fs);
        sh.files.fs.close();
        assertThrows(ClosedFileSystemException.class, () -> Files.exists(docs));
        assertTrue(Files.exists(VfsFileSystem.of(sh.table).getPath("/mnt/sda1/docs")));
    }
    /**
     * nano saves into a temporary file of the host and moves it over the file: the JDK copies across the two file
     * systems, then sets the target's times, and deletes the target if that fails. The VFS refused to set times,
     * so the save deleted the file it had just replaced: the old text and the new were both lost.
     */
    @Test(timeout = 10000)
    public void aMoveFromTheHostOverAVfsFileKeepsTheNewTextAndTheSourcesModificationTime() throws IOException {
        Path target = sh.files.fs.getPath("/mnt/sda1/notes.txt");
        Files.writeString(target, "the old text\n");
        Path temp = Files.createTempFile("devrt-nano-", ".temp");
        try {
            Files.writeString(temp, "the new text\n");
            FileTime modified = FileTime.from(Instant.parse("2024-05-06T07:08:10Z"));
            Files.setLastModifiedTime(temp, modified);

            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);

            assertEquals("the new text\n", Files.readString(target));
            assertEquals("the source's modification time, as FAT keeps it (2 s)", modified,
                    Files.getLastModifiedTime(target));
            Files.setAttribute(target, "basic:creationTime", FileTime.from(Instant.parse("2020-01-02T03:04:05.67Z")));
            assertEquals(FileTime.from(Instant.parse("2020-01-02T03:04:05.67Z")), Files.readAttributes(target,
                    BasicFileAttributes.class).creationTime());
            assertThrows(IllegalArgumentException.class, () -> Files.setAttribute(target, "basic:size", 1L));
            assertThrows(UnsupportedOperationException.class, () -> Files.setAttribute(target, "dos:hidden", true));
            assertThrows(ClassCastException.class, () -> Files.setAttribute(target, "lastModifiedTime", 1L));
        } finally {
            Files.deleteIfExists(temp);
        }
    }
    /** Gogo's tail -f said "the VFS has no watch service". */
    @Test(timeout = 10000)
    public void aWatchServiceSeesAFileAppendedCreatedAndDeleted() throws Exception {
        Path dir = sh.files.fs.getPath("/mnt/sda1");
        Files.writeString(dir.resolve("log.txt"), "one\n");
        WatchService watcher = sh.files.fs.newWatchService();
        WatchKey key = dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        assertEquals("nothing changed yet", null, watcher.poll());

        Files.writeString(dir.resolve("log.txt"), "two\n", StandardOpenOption.APPEND);
        assertTrue("the append is seen", watcher.poll(5, TimeUnit.SECONDS) == key);
        assertEquals(List.of("ENTRY_MODIFY log.txt"), events(key));
        assertTrue(key.reset());

        Files.writeString(dir.resolve("new.txt"), "x");
        Files.delete(dir.resolve("log.txt"));
        assertTrue(watcher.take() == key);
        assertEquals(List.of("ENTRY_CREATE new.txt", "ENTRY_DELETE log.txt"), events(key));
        assertTrue(key.watchable().equals(dir));

        watcher.close();
        assertFalse(key.isValid());
        assertThrows(ClosedWatchServiceException.class, watcher::poll);
    }

    private static List<String> events(WatchKey key) {
        return key.pollEvents().stream().map(e -> e.kind().name() + " " + e.context()).sorted().toList();
    }
}
