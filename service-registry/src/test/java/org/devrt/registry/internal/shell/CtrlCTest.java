package org.devrt.registry.internal.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

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
import org.devrt.registry.shell.Foreground;
import org.jline.terminal.Terminal;
import org.junit.After;
import org.junit.Test;

/** Ctrl-C at a devrt command in a real Gogo session. */
public class CtrlCTest {
    private final List<String> gogo = new CopyOnWriteArrayList<>();
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
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
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
}
