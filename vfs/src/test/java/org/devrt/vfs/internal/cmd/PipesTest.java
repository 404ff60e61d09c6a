package org.devrt.vfs.internal.cmd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
        for (String command : new String[] {"cd", "cat", "write", "ls", "rm", "mkdir", "mv"}) {
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
