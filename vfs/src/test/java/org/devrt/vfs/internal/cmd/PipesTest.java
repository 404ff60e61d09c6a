package org.devrt.vfs.internal.cmd;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Test;

/** The file commands in a real Gogo session over sda1 of {@link Shell}: pipes and redirections. */
public class PipesTest {
    private final Shell sh;
    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final CommandSession session;

    /** A command that gives more text than cat shows. */
    public static final class Big {
        public String big() {
            return "x".repeat(FileCommands.CAT_LIMIT + 1);
        }
    }

    public PipesTest() throws Exception {
        sh = new Shell();
        threadIo.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
        for (String command : new String[] {"cd", "cat", "write", "ls", "rm", "mkdir", "mv", "cp", "tac"}) {
            processor.addCommand("devrt", sh.files, command);
        }
        processor.addCommand("t", new Big(), "big");
        PrintStream out = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        session.execute("cd /mnt/sda1");
        session.execute("write notes.txt first line");
    }

    @After
    public void close() {
        session.close();
        threadIo.stop();
        sh.close();
    }

    /** 'rm -r ""' removed the working directory and all it held; an unset variable failed with an NPE. */
    @Test(timeout = 10000)
    public void anEmptyPathNamesNothingAndAnUnsetVariableIsLeftOut() throws Exception {
        session.execute("mkdir victim");
        session.execute("write victim/keep.txt precious");
        session.execute("cd victim");
        terminal.reset();

        session.execute("rm -r \"\"");
        session.execute("mv keep.txt \"\"");
        session.execute("rm -r $nosuch");
        assertEquals("keep.txt", session.execute("ls"));
        session.execute("cd $nosuch");

        String said = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(said, said.startsWith("rm: '': no such file or directory (an empty path names none)\nusage: rm"));
        assertTrue(said, said.contains("\nmv: '': no such file or directory (an empty path names none)\nusage: mv"));
        assertTrue(said, said.contains("\nrm: missing <path>\nusage: rm"));
        assertEquals("cd with an unset variable goes to /, as cd with nothing", "/",
                session.currentDir().toString());
    }

    private void writeBytes(String path, byte[] bytes) throws Exception {
        try (SeekableByteChannel c = sh.table.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                c.write(b);
            }
        }
    }

    private byte[] readBytes(String path) throws Exception {
        try (SeekableByteChannel c = sh.table.open(path)) {
            ByteBuffer b = ByteBuffer.allocate((int) c.size());
            while (b.hasRemaining() && c.read(b) >= 0) {
                // until full
            }
            return b.array();
        }
    }

    private static byte[] binary(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** Decoded as UTF-8 a binary file grew (4097 bytes became 7453); over 1 MiB it left an empty file. */
    @Test(timeout = 20000)
    public void catIntoARedirectionCopiesTheBytesAsTheyAreWhateverTheSize() throws Exception {
        byte[] small = binary(4097);
        byte[] big = binary(FileCommands.CAT_LIMIT + 5000);
        writeBytes("/mnt/sda1/small.bin", small);
        writeBytes("/mnt/sda1/big.bin", big);

        session.execute("cat small.bin > small.copy");
        session.execute("cat big.bin > big.copy");
        session.execute("cat < small.bin > stdin.copy");

        assertArrayEquals(small, readBytes("/mnt/sda1/small.copy"));
        assertArrayEquals(big, readBytes("/mnt/sda1/big.copy"));
        assertArrayEquals(small, readBytes("/mnt/sda1/stdin.copy"));
        assertEquals("", terminal.toString(StandardCharsets.UTF_8));
    }

    @Test(timeout = 10000)
    public void aDirectoryIsRenamedWhenOnlyTheCaseOfItsNameChanges() throws Exception {
        session.execute("mkdir README");
        session.execute("write README/inside.txt kept");
        terminal.reset();
        session.execute("mv README readme");
        assertEquals("", terminal.toString(StandardCharsets.UTF_8));
        assertEquals("notes.txt\nreadme/", session.execute("ls"));
        assertEquals("kept", session.execute("cat readme/inside.txt"));
    }

    /** Gogo's PrintStream kept the failure to itself: the copy was cut short and nothing said so. */
    @Test(timeout = 30000)
    public void catIntoARedirectionOnAFullVolumeSaysItWasCutShort() throws Exception {
        long free = sh.table.mounts().get(0).freeBytes();
        writeBytes("/mnt/sda1/most.bin", binary((int) (free * 3 / 5)));
        terminal.reset();

        session.execute("cat most.bin > again.bin");

        assertEquals("cat: /mnt/sda1/most.bin: the redirection's target did not take it all (a full volume?)\n",
                terminal.toString(StandardCharsets.UTF_8));
    }

    /** There was no cp: mv said 'copy, then delete' across volumes, and cat was the way, which lost bytes. */
    @Test(timeout = 20000)
    public void cpCopiesAFileByteForByteIntoADirectoryAndNotOntoItself() throws Exception {
        byte[] data = binary(70_000);
        writeBytes("/mnt/sda1/data.bin", data);
        session.execute("mkdir backup");

        assertEquals("copied 70000 bytes to /mnt/sda1/backup/data.bin", session.execute("cp data.bin backup"));
        assertEquals("copied 70000 bytes to /mnt/sda1/again.bin", session.execute("cp backup/data.bin again.bin"));
        assertArrayEquals(data, readBytes("/mnt/sda1/backup/data.bin"));
        assertArrayEquals(data, readBytes("/mnt/sda1/again.bin"));
        writeBytes("/mnt/sda1/short.bin", binary(10));
        session.execute("cp short.bin again.bin");
        assertEquals("a longer target is cut to the source's size", 10, readBytes("/mnt/sda1/again.bin").length);

        terminal.reset();
        session.execute("cp DATA.BIN data.bin");
        session.execute("cp backup x");
        assertArrayEquals("the file copied onto itself is as it was", data, readBytes("/mnt/sda1/data.bin"));
        assertEquals("""
                cp: /mnt/sda1/DATA.BIN -> /mnt/sda1/data.bin: are the same file
                cp: /mnt/sda1/backup: is a directory (cp copies files)
                """, terminal.toString(StandardCharsets.UTF_8));
    }

    @Test(timeout = 10000)
    public void catWithoutAPathReadsWhatComesThroughAPipe() throws Exception {
        assertEquals("first line", session.execute("cat notes.txt | cat"));
        assertEquals("notes.txt", session.execute("ls | cat | cat"));
    }

    @Test(timeout = 10000)
    public void aDashAmongThePathsIsWhatComesThroughThePipe() throws Exception {
        session.execute("write other.txt second");
        assertEquals("first line\nsecond", session.execute("cat other.txt | cat notes.txt -"));
        assertEquals(null, session.execute("cat -"));
        assertEquals("cat: -: standard input is the terminal, not a pipe or '<'\n",
                terminal.toString(StandardCharsets.UTF_8));
    }

    /**
     * Gogo's tac, the shell's tac before devrt had one, captures its input into the file it names: 'tac notes.txt'
     * emptied the file and wrote what was typed next into it.
     */
    @Test(timeout = 10000)
    public void tacPrintsAFileLastLineFirstAndLeavesItAsItWas() throws Exception {
        session.execute("write -a notes.txt second line");
        session.execute("write -a notes.txt third");
        assertEquals("third\nsecond line\nfirst line", session.execute("tac notes.txt"));
        assertEquals("first line\nsecond line\nthird", session.execute("cat notes.txt"));
        assertEquals("the pipe's lines", "third\nsecond line\nfirst line", session.execute("cat notes.txt | tac"));
        session.execute("write other.txt other");
        assertEquals("a dash among the files is the pipe", "other\nthird\nsecond line\nfirst line",
                session.execute("cat notes.txt | tac other.txt -"));
        assertEquals("a CR stays its line's", "b\na\r\n", FileCommands.reversed("a\r\nb"));
        assertEquals(null, session.execute("tac"));
        assertEquals("tac: standard input is the terminal, not a pipe or '<': give files\n",
                terminal.toString(StandardCharsets.UTF_8));
    }

    @Test(timeout = 10000)
    public void catWithoutAPathReadsARedirectedFile() throws Exception {
        assertEquals("first line", session.execute("cat < notes.txt"));
    }

    @Test(timeout = 10000)
    public void aPipeIntoCatIntoAFileKeepsTheText() throws Exception {
        session.execute("cat notes.txt | cat > copy.txt");
        session.execute("ls | cat >> copy.txt");

        assertEquals("first line\nnotes.txt\ncopy.txt", session.execute("cat copy.txt"));
    }

    @Test(timeout = 10000)
    public void catWithoutAPathAtTheTerminalSaysWhatIsMissing() throws Exception {
        assertEquals(null, session.execute("cat"));
        String text = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.startsWith("cat: missing <path>\nusage: cat [<path>...]"));
    }

    @Test(timeout = 10000)
    public void moreThanCatShowsThroughAPipeIsNamed() throws Exception {
        assertEquals(null, session.execute("big | cat"));
        assertEquals("cat: standard input: more than 1048576 bytes is more than cat shows\n",
                terminal.toString(StandardCharsets.UTF_8));
    }

    @Test(timeout = 10000)
    public void anErrorStaysOnTheTerminalWhenTheOutputIsRedirectedOrPiped() throws Exception {
        session.execute("cat nope.txt > out.txt");
        assertEquals("the redirection got the error", 0, sh.table.stat("/mnt/sda1/out.txt").size());
        assertTrue(terminal.toString(StandardCharsets.UTF_8),
                terminal.toString(StandardCharsets.UTF_8).startsWith("cat: /mnt/sda1/nope.txt: "));
        terminal.reset();

        assertEquals("the pipe got the error", null, session.execute("cat nope.txt | cat"));
        assertTrue(terminal.toString(StandardCharsets.UTF_8),
                terminal.toString(StandardCharsets.UTF_8).startsWith("cat: /mnt/sda1/nope.txt: "));
    }
}
