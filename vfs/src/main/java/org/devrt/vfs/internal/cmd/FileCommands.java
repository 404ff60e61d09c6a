package org.devrt.vfs.internal.cmd;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Process;
import org.devrt.device.DeviceGoneException;
import org.devrt.registry.shell.Foreground;
import org.devrt.vfs.FileInfo;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.Vfs;
import org.devrt.vfs.internal.cache.Buffers;
import org.devrt.vfs.internal.mount.VfsPaths;
import org.devrt.vfs.internal.nio.VfsFileSystem;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The file shell commands (scope {@code devrt}, ahead of Gogo's own {@code ls} and {@code cat} through
 * etc/gosh_profile): {@code ls}, {@code cat}, {@code put}, {@code get}, {@code mkdir}, {@code rm}, {@code mv},
 * {@code stat}, {@code write}, all through the {@link Vfs} service, and {@code cd} and {@code pwd}. VFS paths are
 * absolute or, once {@code cd} has put the shell in the VFS (etc/gosh_profile does at the start), relative to its
 * working directory ({@link WorkingDirectory}); {@code put} and {@code get} take a host path on the other side.
 */
@Component(service = FileCommands.class, property = {"osgi.command.scope=devrt", "osgi.command.function=ls",
        "osgi.command.function=cat", "osgi.command.function=put", "osgi.command.function=get",
        "osgi.command.function=mkdir", "osgi.command.function=rm", "osgi.command.function=mv",
        "osgi.command.function=stat", "osgi.command.function=write", "osgi.command.function=cd",
        "osgi.command.function=pwd", "osgi.command.function=cp", "osgi.command.function=tac"})
public final class FileCommands {
    static final String LS = "usage: ls [-l] [path...]\n  list a directory of the VFS (default: the working"
            + " directory, or /); -l: type, size, time\n";
    static final String CAT = "usage: cat [<path>...]\n  print files as UTF-8 text (at most 1 MiB each; into a redirection"
            + " their bytes as they are, any size);\n  with no <path>, or -, what comes through a pipe or '<' (devices |"
            + " cat >> log.txt)\n";
    static final String TAC = "usage: tac [<path>...]\n  print files, or what comes through a pipe or '<', last line"
            + " first\n  (Gogo's own tac, gogo:tac, writes what is typed into the file it names)\n";
    static final String PUT = "usage: put <host-file> <vfs-path>\n  copy a file of the host into the VFS (into it, if"
            + " <vfs-path> is a directory)\n";
    static final String GET = "usage: get <vfs-path> <host-file>\n  copy a file of the VFS to the host (into it, if"
            + " <host-file> is a directory)\n";
    static final String MKDIR = "usage: mkdir [-p] <path>...\n  create directories; -p: with their parents, and no"
            + " error if they exist\n";
    static final String RM = "usage: rm [-r] <path>...\n  delete files; -r: directories with all they hold\n";
    static final String MV = "usage: mv <source> <target>\n  rename or move within a volume (into <target> if it is a"
            + " directory); 'cp' then 'rm' moves to another\n";
    static final String CP = "usage: cp <source> <target>\n  copy a file, byte for byte, also to another volume (into"
            + " <target> if it is a directory)\n";
    static final String STAT = "usage: stat <path>...\n  everything the VFS knows of a file or directory\n";
    static final String WRITE = "usage: write [-a] <vfs-path> <text>...\n  write the words, joined by spaces, and a"
            + " newline to a file (created, or replaced; -a: appended), as echo text > file would\n";
    static final String CD = "usage: cd [path]\n  make a directory of the VFS the shell's working directory"
            + " (default /; -: the one before): relative paths\n  and patterns such as *.txt are then read in it\n";
    /** The session variable holding the directory before the last cd, for {@code cd -}. */
    static final String OLDPWD = "OLDPWD";
    static final String PWD = "usage: pwd\n  print the shell's working directory\n";
    static final int CAT_LIMIT = 1 << 20;
    /** The largest file FAT can hold: DIR_FileSize is 32 bits. */
    static final long MAX_FAT_FILE = 0xFFFF_FFFFL;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SS");

    @Reference
    Vfs vfs;

    ZoneId zone = ZoneId.systemDefault();

    /** The current session's working directory (a field so that tests can give one). */
    Supplier<Path> workingDirectory = WorkingDirectory::ofSession;

    VfsFileSystem fs;

    @Activate
    void activate() {
        fs = VfsFileSystem.of(vfs);
    }

    /** {@code operand} as an absolute VFS path (relative ones after the working directory). */
    private String at(String operand) {
        return WorkingDirectory.resolve(workingDirectory.get(), operand);
    }

    @Descriptor("change the shell's working directory (in the VFS)")
    public String cd(CommandSession given, @Descriptor("[path]") String... args) {
        // 'cd $unset': Gogo binds the null to the session parameter rather than to args
        CommandSession session = given != null ? given : CommandSession.Utils.current();
        return Commands.run("cd", CD, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return CD;
            }
            a.operands(0, 1, "[path]");
            Path before = session.currentDir();
            boolean back = a.operands.equals(List.of("-"));
            if (back && !(session.get(OLDPWD) instanceof String)) {
                throw new IOException("no previous directory ('cd -' goes back after a cd)");
            }
            String path = a.operands.isEmpty() ? "/" : back ? (String) session.get(OLDPWD)
                    : WorkingDirectory.resolve(before, a.operands.get(0));
            session.currentDir(fs.getPath(directory(path)));
            if (WorkingDirectory.inVfs(before)) {
                session.put(OLDPWD, before.toString());
            }
            return back ? session.currentDir() + "\n" : ""; // as a shell's cd - says where it went
        });
    }

    /**
     * The directory {@code path} names, walked name by name as a shell's cd does: each must be a directory ({@code
     * a.txt/..} is not one), {@code ..} goes up from where the walk is, and each name is given as the VFS holds it
     * ({@code cd DOCS} is in {@code docs}).
     */
    private String directory(String path) throws IOException {
        List<String> names = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!names.isEmpty()) {
                    names.remove(names.size() - 1);
                }
                continue;
            }
            names.add(segment);
            String at = VfsPaths.join(names);
            FileInfo info = vfs.stat(at);
            if (!info.directory()) {
                throw new FileSystemException(at, null, "not a directory");
            }
            names.set(names.size() - 1, info.name().isEmpty() ? segment : info.name());
        }
        return VfsPaths.join(names);
    }

    @Descriptor("print the shell's working directory")
    public String pwd(CommandSession session, @Descriptor("no arguments") String... args) {
        return Commands.run("pwd", PWD, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return PWD;
            }
            a.operands(0, 0, "nothing");
            Path dir = session.currentDir();
            return dir + (WorkingDirectory.inVfs(dir) ? "" : " (on the host: 'cd' takes the shell into the VFS)")
                    + "\n";
        });
    }

    @Descriptor("list a directory of the VFS")
    public String ls(@Descriptor("[-l] [path...]; --help for usage") String... args) {
        return Commands.run("ls", LS, () -> {
            Args a = Args.parse(args, Set.of("-l", "-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return LS;
            }
            Path cwd = workingDirectory.get();
            List<String> paths = !a.operands.isEmpty() ? a.operands
                    : List.of(WorkingDirectory.inVfs(cwd) ? cwd.toString() : "/");
            return Commands.eachOperand("ls", paths, operand -> {
                String path = at(operand);
                FileInfo info = vfs.stat(path);
                StringBuilder out = new StringBuilder();
                if (paths.size() > 1 && info.directory()) {
                    out.append(operand).append(":\n");
                }
                if (!info.directory()) { // a file: named as the operand gives it, as ls does
                    return (a.has("-l") ? longLine(info, operand) : operand) + "\n";
                }
                for (FileInfo i : vfs.list(path)) {
                    out.append(a.has("-l") ? longLine(i, i.name()) : i.name() + (i.directory() ? "/" : ""))
                            .append('\n');
                }
                return out.toString();
            });
        });
    }

    @Descriptor("print files of the VFS, or what comes through a pipe")
    public String cat(@Descriptor("[<path>...]") String... args) {
        return Commands.runInterruptible("cat", CAT, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return CAT;
            }
            // no path, with a pipe or '<' for input: that input, as cat reads it; not the terminal, which a person
            // would have to end with ^D
            Process process = Process.Utils.current();
            boolean piped = process != null && !process.isTty(0);
            // into a redirection (cat a.bin > copy.bin) the bytes go as they are, whatever their size: decoded as
            // text a binary file grew (4097 bytes became 7453) and one over 1 MiB left an empty file
            boolean redirected = process != null && !process.isTty(1);
            if (a.operands.isEmpty() && piped) {
                if (redirected) {
                    process.in().transferTo(process.out());
                    return "";
                }
                return standardInput(process);
            }
            a.operands(1, Integer.MAX_VALUE, "<path>");
            return Commands.eachOperand("cat", a.operands, operand -> {
                if (operand.equals("-")) {
                    if (!piped) {
                        throw new IOException("-: standard input is the terminal, not a pipe or '<'");
                    }
                    if (redirected) {
                        process.in().transferTo(process.out());
                        return "";
                    }
                    return standardInput(process);
                }
                String path = at(operand);
                try (SeekableByteChannel c = vfs.open(path)) {
                    if (redirected) {
                        copy(c, Channels.newChannel(process.out()), c.size(), "the pipe or redirection", false);
                        process.out().flush();
                        if (process.out().checkError()) { // Gogo's PrintStream keeps the failure to itself
                            throw new IOException(path + ": the redirection's target did not take it all (a full"
                                    + " volume?)");
                        }
                        return "";
                    }
                    return text(c, path, "is more than cat shows; use get");
                }
            });
        });
    }

    /**
     * Lines last first, as GNU tac prints them. Gogo's own {@code tac} captures its input into the file it names: as
     * the shell's {@code tac} (devrt's scope comes first), {@code tac notes.txt} emptied the file, took what was typed
     * next into it and held it open.
     */
    @Descriptor("print files of the VFS, or what comes through a pipe, last line first")
    public String tac(@Descriptor("[<path>...]") String... args) {
        return Commands.runInterruptible("tac", TAC, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return TAC;
            }
            Process process = Process.Utils.current();
            boolean piped = process != null && !process.isTty(0);
            if (a.operands.isEmpty()) {
                if (!piped) {
                    throw new IOException("standard input is the terminal, not a pipe or '<': give files");
                }
                return reversed(standardInput(process));
            }
            return Commands.eachOperand("tac", a.operands, operand -> {
                if (operand.equals("-")) { // as cat reads it, among the files
                    if (!piped) {
                        throw new IOException("-: standard input is the terminal, not a pipe or '<'");
                    }
                    return reversed(standardInput(process));
                }
                String path = at(operand);
                try (SeekableByteChannel c = vfs.open(path)) {
                    return reversed(text(c, path, "is more than tac reads"));
                }
            });
        });
    }

    /**
     * The text's lines, each with its newline (a last line without one is given one), last first. Lines end at
     * {@code \n} alone, as GNU tac has it: a CR before it stays the line's.
     */
    static String reversed(String text) {
        if (text.isEmpty()) {
            return "";
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        List<String> lines = new ArrayList<>(List.of(body.split("\n", -1)));
        Collections.reverse(lines);
        return String.join("\n", lines) + "\n";
    }

    /** What comes through the command's pipe or '<', at most {@link #CAT_LIMIT} bytes, as UTF-8 text. */
    private static String standardInput(Process process) throws IOException {
        byte[] in = process.in().readNBytes(CAT_LIMIT + 1);
        if (in.length > CAT_LIMIT) {
            throw new IOException("standard input: more than " + CAT_LIMIT + " bytes is more than cat shows");
        }
        return utf8(ByteBuffer.wrap(in));
    }

    /** A file's content as UTF-8 text, at most {@link #CAT_LIMIT} bytes ({@code tooLarge} says so after the size). */
    private static String text(SeekableByteChannel c, String path, String tooLarge) throws IOException {
        if (c.size() > CAT_LIMIT) {
            throw new IOException(path + ": " + c.size() + " bytes " + tooLarge);
        }
        ByteBuffer b = ByteBuffer.allocate((int) c.size());
        while (b.hasRemaining() && c.read(b) >= 0) {
            // until full
        }
        return utf8(b.flip());
    }

    /** The bytes as UTF-8 text, a malformed sequence shown as U+FFFD. */
    private static String utf8(ByteBuffer bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(bytes).toString();
    }

    @Descriptor("write text to a file of the VFS")
    public String write(@Descriptor("[-a] <vfs-path> <text>...") String... args) {
        return Commands.run("write", WRITE, () -> {
            Args a = Args.parse(args, Set.of("-a", "-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return WRITE;
            }
            a.operands(2, Integer.MAX_VALUE, a.operands.isEmpty() ? "<vfs-path> and <text>" : "<text>");
            String target = at(a.operands.get(0));
            ByteBuffer text = ByteBuffer.wrap((String.join(" ", a.operands.subList(1, a.operands.size())) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            try (SeekableByteChannel out = vfs.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    a.has("-a") ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                while (text.hasRemaining()) {
                    out.write(text);
                }
            } catch (IOException e) {
                throw Commands.naming(target, e);
            }
            return "";
        });
    }

    @Descriptor("copy a host file into the VFS")
    public String put(@Descriptor("<host-file> <vfs-path>") String... args) {
        return Commands.runInterruptible("put", PUT, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return PUT;
            }
            a.operands(2, 2, a.operands.isEmpty() ? "<host-file> and <vfs-path>" : "<vfs-path>");
            Path host = hostPath(a.operands.get(0));
            String target = at(a.operands.get(1));
            if (isDirectory(target)) {
                target = child(target, host.getFileName().toString());
            }
            requireRegular(host);
            if (Files.exists(host) && Files.size(host) > MAX_FAT_FILE) { // said before anything is written
                throw new IOException(host + " is " + Files.size(host) + " bytes; a FAT file holds at most "
                        + MAX_FAT_FILE + " (4 GiB - 1)");
            }
            long n;
            try (FileChannel in = FileChannel.open(host); SeekableByteChannel out = vfs.open(target,
                    StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
                n = copy(in, out, in.size(), target, true);
            } catch (NoSuchFileException e) {
                if (e.getFile().equals(host.toString())) {
                    throw new IOException(host + ": no such file on the host");
                }
                throw e;
            }
            return "copied " + n + " bytes to " + target + "\n";
        });
    }

    /**
     * A host path the user typed; an empty one names none, as in the VFS's commands ({@code get f ""} wrote into the
     * folder devrt was started from, the project's own with {@code ./devrt}).
     */
    private static Path hostPath(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("'': no such file or directory on the host (an empty path names none)");
        }
        return Path.of(text);
    }

    @Descriptor("copy a VFS file to the host")
    public String get(@Descriptor("<vfs-path> <host-file>") String... args) {
        return Commands.runInterruptible("get", GET, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return GET;
            }
            a.operands(2, 2, a.operands.isEmpty() ? "<vfs-path> and <host-file>" : "<host-file>");
            String source = at(a.operands.get(0));
            Path host = hostPath(a.operands.get(1));
            if (Files.isDirectory(host)) {
                host = host.resolve(vfs.stat(source).name());
            }
            requireRegular(host);
            boolean existed = Files.exists(host);
            long n;
            // not truncated at open: a copy that fails before its first byte (a damaged chain) leaves a host file
            // as it was, as cp does in the VFS; one that fails later leaves exactly what it says was copied
            try (SeekableByteChannel in = vfs.open(source); FileChannel out = FileChannel.open(host,
                    StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                try {
                    n = copy(in, out, in.size(), host.toAbsolutePath().toString(), false);
                } catch (IOException e) {
                    if (out.position() > 0) {
                        out.truncate(out.position());
                    } else if (!existed) {
                        Files.deleteIfExists(host);
                    }
                    throw e;
                }
                out.truncate(n);
            }
            return "copied " + n + " bytes to " + host.toAbsolutePath() + "\n";
        });
    }

    @Descriptor("copy a file of the VFS, also to another volume")
    public String cp(@Descriptor("<source> <target>") String... args) {
        return Commands.runInterruptible("cp", CP, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return CP;
            }
            a.operands(2, 2, a.operands.isEmpty() ? "<source> and <target>" : "<target>");
            String source = at(a.operands.get(0));
            String target = at(a.operands.get(1));
            FileInfo from = vfs.stat(source);
            if (from.directory()) {
                throw new FileSystemException(source, null, "is a directory (cp copies files)");
            }
            if (isDirectory(target)) {
                target = child(target, from.name());
            }
            if (sameFile(source, target)) {
                throw new FileSystemException(source, target, "are the same file");
            }
            long n;
            boolean existed = exists(target);
            boolean nothingWritten = false;
            // not truncated before the copy but after it: were the target the source under another name (an 8.3
            // alias), each block would be written back where it was read from, not lost
            try (SeekableByteChannel in = vfs.open(source); SeekableByteChannel out = vfs.open(target,
                    StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                try {
                    n = copy(in, out, in.size(), target, true);
                } catch (IOException e) {
                    nothingWritten = !existed && out.size() == 0;
                    throw e;
                }
                out.truncate(n);
            } catch (IOException e) {
                if (nothingWritten) { // a copy onto a full volume left an empty file it had made
                    try {
                        vfs.delete(target);
                    } catch (IOException | RuntimeException gone) {
                        e.addSuppressed(gone);
                    }
                }
                throw e;
            }
            return "copied " + n + " bytes to " + target + "\n";
        });
    }

    /** Whether two paths name one file as far as their text tells (FAT names are case-insensitive). */
    private boolean sameFile(String a, String b) throws IOException {
        try {
            vfs.stat(b);
        } catch (NoSuchFileException e) {
            return false;
        }
        return sameName(a, b);
    }

    /** Whether two absolute paths are one once normalized, but for case (FAT names are case-insensitive). */
    private boolean sameName(String a, String b) {
        return fs.getPath(a).normalize().toString().equalsIgnoreCase(fs.getPath(b).normalize().toString());
    }

    /** Stops a copy when Ctrl-C came ({@link Foreground}): one between VFS files has no channel an interrupt closes. */
    private static void checkInterrupt() throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted");
        }
    }

    /**
     * Copies what {@code in} holds to {@code out}, a MiB at a time; a failure part way (a full volume) says how much
     * of {@code size} bytes {@code target} holds, since what was written stays, as with cp. When {@code target} is a
     * VFS file whose disk went away, what it holds is what was written back before: the count written is said as
     * such (a surprise removal lost the last MiB that the message said was there).
     */
    private static long copy(ReadableByteChannel in, WritableByteChannel out, long size, String target,
            boolean targetInVfs) throws IOException {
        ByteBuffer b = Buffers.allocate(1 << 20); // page-aligned: a disk's DMA takes it without a copy
        long n = 0;
        try {
            for (checkInterrupt(); in.read(b.clear()) >= 0; checkInterrupt()) {
                b.flip();
                while (b.hasRemaining()) {
                    n += out.write(b);
                }
            }
        } catch (IOException e) {
            String said = e instanceof ClosedByInterruptException || e instanceof InterruptedIOException
                    ? "interrupted" : Commands.error("", e).substring(2); // "file: reason", or the message
            if (n == 0) {
                if (e instanceof FileSystemException) {
                    throw e; // it names its file
                }
                throw new IOException(target + ": " + said, e); // get > /proc/version said "Input/output error"
            }
            if (targetInVfs && diskWentAway(e)) {
                throw new IOException(said + "; " + n + " of " + size + " bytes had been written to " + target
                        + ", which keeps those written back to the disk before it went", e);
            }
            throw new IOException(said + "; " + target + " holds the first " + n + " of " + size + " bytes", e);
        }
        return n;
    }

    private static boolean diskWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DeviceGoneException) {
                return true;
            }
        }
        return false;
    }

    /**
     * put and get copy files: a host path that exists as anything else (a disk, a FIFO, a terminal) is refused
     * before it is opened, so neither writes to a host's disk nor waits on a pipe with no writer.
     */
    private static void requireRegular(Path host) throws IOException {
        if (Files.exists(host) && !Files.isRegularFile(host)) {
            throw new IOException(host + " is " + (Files.isDirectory(host) ? "a directory" : "a device or other"
                    + " special file") + " on the host, not a regular file");
        }
    }

    @Descriptor("create directories in the VFS")
    public String mkdir(@Descriptor("[-p] <path>...") String... args) {
        return Commands.run("mkdir", MKDIR, () -> {
            Args a = Args.parse(args, Set.of("-p", "-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return MKDIR;
            }
            a.operands(1, Integer.MAX_VALUE, "<path>");
            return Commands.eachOperand("mkdir", a.operands, operand -> {
                String path = at(operand);
                try {
                    if (a.has("-p")) {
                        StringBuilder prefix = new StringBuilder();
                        for (String segment : VfsPaths.split(path)) {
                            prefix.append('/').append(segment);
                            if (!exists(prefix.toString())) {
                                vfs.createDirectory(prefix.toString());
                            }
                        }
                    } else {
                        vfs.createDirectory(path);
                    }
                } catch (IOException e) {
                    throw Commands.naming(path, e);
                }
                return "";
            });
        });
    }

    @Descriptor("delete files and directories in the VFS")
    public String rm(@Descriptor("[-r] <path>...") String... args) {
        return Commands.run("rm", RM, () -> {
            Args a = Args.parse(args, Set.of("-r", "-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return RM;
            }
            a.operands(1, Integer.MAX_VALUE, "<path>");
            return Commands.eachOperand("rm", a.operands, operand -> {
                refuseDots("remove", operand);
                String path = at(operand);
                FileInfo info = vfs.stat(path);
                if (info.directory() && !a.has("-r")) {
                    throw new FileSystemException(path, null, "is a directory (rm -r deletes it and all it holds)");
                }
                refuseMountPoints(path);
                delete(path, info);
                return "";
            });
        });
    }

    @Descriptor("rename or move within a volume of the VFS")
    public String mv(@Descriptor("<source> <target>") String... args) {
        return Commands.run("mv", MV, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return MV;
            }
            a.operands(2, 2, a.operands.isEmpty() ? "<source> and <target>" : "<target>");
            refuseDots("move", a.operands.get(0));
            String source = at(a.operands.get(0));
            String target = at(a.operands.get(1));
            // 'mv README readme' of a directory: the target is the source in another case (FAT names are
            // case-insensitive), a rename, not a move into itself
            boolean caseOnly = sameName(source, target);
            if (!caseOnly && isDirectory(target)) {
                target = child(target, vfs.stat(source).name());
            }
            vfs.rename(source, target);
            return "";
        });
    }

    @Descriptor("show what the VFS knows of files")
    public String stat(@Descriptor("<path>...") String... args) {
        return Commands.run("stat", STAT, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return STAT;
            }
            a.operands(1, Integer.MAX_VALUE, "<path>");
            return Commands.eachOperand("stat", a.operands, operand -> {
                FileInfo i = vfs.stat(at(operand));
                StringBuilder out = new StringBuilder();
                out.append("  File: ").append(operand).append('\n')
                        .append("  Name: ").append(i.name()).append(i.shortName().isEmpty() ? "" : "  (8.3: "
                                + i.shortName() + ")").append('\n')
                        .append("  Type: ").append(i.directory() ? "directory" : "file").append("  Size: ")
                        .append(i.size()).append("  Attributes: ").append(attributes(i)).append('\n')
                        .append("Access: ").append(i.accessed().atZone(zone).toLocalDate()).append('\n')
                        .append("Modify: ").append(FULL.format(i.modified().atZone(zone))).append('\n')
                        .append(" Birth: ").append(FULL.format(i.created().atZone(zone))).append('\n');
                return out.toString();
            });
        });
    }

    /**
     * {@code rm -r .} deleted the working directory and {@code rm -r ..} its parent with everything beside it; refused,
     * as coreutils refuse them (and {@code mv .}, which left the shell in a directory that was no more).
     */
    private static void refuseDots(String what, String operand) throws FileSystemException {
        String last = operand.replaceAll("/+$", "");
        last = last.substring(last.lastIndexOf('/') + 1);
        if (last.equals(".") || last.equals("..")) {
            throw new FileSystemException(operand, null, "refusing to " + what + " '.' or '..' (name the directory)");
        }
    }

    /**
     * rm -r of a mount point, or of a folder above one ({@code /}, {@code /mnt}), would empty the volumes under it
     * and only then find it cannot delete a mount point: refused before anything is deleted.
     */
    private void refuseMountPoints(String path) throws IOException {
        List<String> segments = VfsPaths.split(path);
        for (MountInfo m : vfs.mounts()) {
            List<String> point = VfsPaths.split(m.mountPoint());
            if (VfsPaths.startsWith(point, segments)) {
                throw new FileSystemException(path, null, (point.size() == segments.size() ? "is a mount point"
                        : "holds the mount point " + m.mountPoint()) + ": rm deletes inside a volume, never a volume"
                        + " (umount it; mkfs empties it)");
            }
        }
    }

    private void delete(String path, FileInfo info) throws IOException {
        if (info.directory()) {
            for (FileInfo child : vfs.list(path)) {
                delete(child(path, child.name()), child);
            }
        }
        vfs.delete(path);
    }

    private String longLine(FileInfo i, String name) {
        return String.format("%s %10d %s %s%s", (i.directory() ? "d" : "-") + attributes(i), i.size(),
                MINUTE.format(i.modified().atZone(zone)), name, i.directory() ? "/" : "");
    }

    private static String attributes(FileInfo i) {
        return (i.readOnly() ? "r-" : "rw") + (i.hidden() ? "h" : "-");
    }

    private boolean isDirectory(String path) throws IOException {
        try {
            return vfs.stat(path).directory();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private boolean exists(String path) throws IOException {
        try {
            vfs.stat(path);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static String child(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
