package org.devrt.system.internal.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Process;
import org.devrt.registry.shell.Foreground;
import org.jline.terminal.Terminal;
import org.junit.After;
import org.junit.Test;

/** Ctrl-C at a devrt command in a real Gogo session. */
public class CtrlCTest {
    private final List<String> gogo = new CopyOnWriteArrayList<>();
    /** The terminal's output: what the session writes, and whether it was closed. */
    private final Screen terminal = new Screen();

    static final class Screen extends ByteArrayOutputStream {
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
    private final CommandSession session;
    private final InteractiveShell.CtrlC ctrlC;

    /** Commands that wait until interrupted: one as ping does, one without saying which thread runs it. */
    public static final class Commands {
        public String registered() {
            try (Foreground.Registration r = Foreground.run()) {
                return wait10s();
            }
        }

        public String unregistered() {
            return wait10s();
        }

        /** Prints lines to the terminal (its pipe's standard output, as System.out is) until interrupted, as ping. */
        public String printing() {
            try (Foreground.Registration r = Foreground.run()) {
                PrintStream out = r.guard(Process.Utils.current().out());
                for (long line = 0; !Thread.currentThread().isInterrupted(); line++) {
                    out.println("64 bytes from 10.0.2.2: icmp_seq=" + line + " ttl=255 time=0.1 ms");
                }
                out.println("--- statistics ---"); // with the interrupt still pending, as a command may
                return "interrupted";
            }
        }

        private static String wait10s() {
            try {
                Thread.sleep(10_000);
                return "slept";
            } catch (InterruptedException e) {
                return "interrupted";
            }
        }
    }

    public CtrlCTest() {
        // no ThreadIO: its System.out is one per JVM, and these commands print nothing
        CommandProcessorImpl processor = new CommandProcessorImpl(null);
        processor.addCommand("t", new Commands(), "registered");
        processor.addCommand("t", new Commands(), "unregistered");
        processor.addCommand("t", new Commands(), "printing");
        PrintStream out = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        ctrlC = new InteractiveShell.CtrlC(session);
        Terminal.SignalHandler gogoJLine = signal -> {
            gogo.add(signal.name());
            session.foregroundJob().interrupt(); // as Gogo JLine's: the whole job is cancelled
        };
        ctrlC.gogo(gogoJLine);
    }

    @After
    public void close() {
        session.close();
    }

    private CompletableFuture<Object> start(String command) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return session.execute(command);
            } catch (Exception e) {
                return e.toString();
            }
        });
    }

    private void awaitForeground() throws InterruptedException {
        while (session.foregroundJob() == null) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
    }

    /** Gogo JLine cancelled the job: the line ended in "java.lang.InterruptedException" after ping's statistics. */
    @Test(timeout = 10000)
    public void aRegisteredCommandIsInterruptedItselfAndItsLineEndsAsIfOnItsOwn() throws Exception {
        CompletableFuture<Object> line = start("registered");
        awaitForeground();

        ctrlC.handle(Terminal.Signal.INT);

        assertEquals("interrupted", line.get(5, TimeUnit.SECONDS));
        assertEquals("Gogo JLine's handler not used", List.of(), gogo);
        assertNull("the registration went with the command", Foreground.of(session, session.foregroundJob()));
    }

    @Test(timeout = 10000)
    public void anyOtherJobIsLeftToGogoJLine() throws Exception {
        CompletableFuture<Object> line = start("unregistered");
        awaitForeground();

        ctrlC.handle(Terminal.Signal.INT);

        assertEquals(List.of("INT"), gogo);
        assertEquals("java.lang.InterruptedException", String.valueOf(line.get(5, TimeUnit.SECONDS)));
    }

    /**
     * Gogo writes to the terminal through an interruptible channel, which an interrupt in the middle of a write
     * closes, and the terminal's stream with it: the shell had no prompt and no echo for the rest of the session.
     */
    @Test(timeout = 20000)
    public void ctrlCWhileACommandPrintsLeavesTheTerminalOpen() throws Exception {
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Object> line = start("printing");
            awaitForeground();

            ctrlC.handle(Terminal.Signal.INT);

            assertEquals("Ctrl-C " + (i + 1), "interrupted", line.get(5, TimeUnit.SECONDS));
            assertFalse("the terminal's stream was closed at Ctrl-C " + (i + 1), terminal.closed);
        }
        int before = terminal.size();
        start("printing");
        awaitForeground();
        ctrlC.handle(Terminal.Signal.INT);
        assertTrue("nothing more reached the terminal", terminal.size() > before);
        assertEquals(List.of(), gogo);
    }
}
