package org.devrt.registry.shell;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A command returning its text through {@link CommandOutput#of} in a real Gogo session. */
public class CommandOutputTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private CommandSession session;

    /** The commands: one that returns text as devrt's do, and one that counts the lines it reads. */
    public static final class Commands {
        public String report() {
            return CommandOutput.of("line one\nline two");
        }

        public String listing() {
            return CommandOutput.of("a.txt\nb.txt\n");
        }

        public String nothing() {
            return CommandOutput.of("");
        }

        public String fail() {
            return CommandOutput.error("fail: wrong argument\nusage: fail");
        }

        /** What comes in, as devrt's cat gives it. */
        public String copy() throws IOException {
            return CommandOutput.of(new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
        }

        public String lines() throws IOException {
            InputStream in = System.in;
            return Long.toString(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count());
        }
    }

    @Before
    public void session() {
        threadIo.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
        processor.addCommand("t", new Commands(), "report");
        processor.addCommand("t", new Commands(), "lines");
        processor.addCommand("t", new Commands(), "listing");
        processor.addCommand("t", new Commands(), "nothing");
        processor.addCommand("t", new Commands(), "copy");
        processor.addCommand("t", new Commands(), "fail");
        PrintStream out = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        session.currentDir(folder.getRoot().toPath());
    }

    @After
    public void stop() {
        session.close();
        threadIo.stop();
    }

    @Test
    public void onTheSessionsOwnOutputTheTextIsTheValueForGogoToPrintWithoutANewlineOfItsOwn() throws Exception {
        assertEquals("line one\nline two", session.execute("report"));
        assertEquals("Gogo's println gives it back", "a.txt\nb.txt", session.execute("listing"));
        assertEquals("no blank line for no text", null, session.execute("nothing"));
        assertEquals("nothing is to be printed by the command itself", "", terminal.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void aValueTakenInAVariableHasNoFinalNewline() throws Exception {
        session.execute("x = (listing)");
        assertEquals("a.txt\nb.txt", session.get("x"));
    }

    @Test
    public void aRedirectionGetsTheTextAndTheTerminalNothing() throws Exception {
        Object value = session.execute("report > out.txt");

        assertEquals("the value of a redirected command", null, value);
        assertEquals("line one\nline two\n", Files.readString(folder.getRoot().toPath().resolve("out.txt")));
        assertEquals("", terminal.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void anAppendingRedirectionAddsTheText() throws Exception {
        Path file = folder.getRoot().toPath().resolve("log.txt");
        Files.writeString(file, "before\n");

        session.execute("report >> log.txt");

        assertEquals("before\nline one\nline two\n", Files.readString(file));
    }

    @Test
    public void aPipeGetsTheTextOnceWithOneFinalNewline() throws Exception {
        assertEquals("2", session.execute("report | lines"));
        assertEquals("2", session.execute("listing | lines"));
        session.execute("listing | copy > copy.txt");
        assertEquals("a.txt\nb.txt\n", Files.readString(folder.getRoot().toPath().resolve("copy.txt")));
    }

    @Test
    public void textThatEndsWithANewlineGetsNoSecondOne() throws Exception {
        session.execute("listing > list.txt");
        session.execute("nothing > empty.txt");

        assertEquals("a.txt\nb.txt\n", Files.readString(folder.getRoot().toPath().resolve("list.txt")));
        assertEquals("", Files.readString(folder.getRoot().toPath().resolve("empty.txt")));
    }

    @Test
    public void aFailureGoesToStandardErrorWhereverTheOutputGoes() throws Exception {
        assertEquals(null, session.execute("fail"));
        assertEquals("fail: wrong argument\nusage: fail\n", terminal.toString(StandardCharsets.UTF_8));
        terminal.reset();

        session.execute("fail > out.txt");
        assertEquals("the redirection got the error", "", Files.readString(folder.getRoot().toPath().resolve("out.txt")));
        assertEquals("fail: wrong argument\nusage: fail\n", terminal.toString(StandardCharsets.UTF_8));
        terminal.reset();

        assertEquals("the pipe got the error", "0", session.execute("fail | lines"));
        assertEquals("fail: wrong argument\nusage: fail\n", terminal.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void outsideGogoAFailureIsTheValue() {
        assertEquals("fail: wrong argument\nusage: fail", new Commands().fail());
    }
}
