package org.devrt.system.internal.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.jline.reader.LineReader;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.After;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;

public class InteractiveShellTest {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final FakeShell gogoShell = new FakeShell();
    private volatile int gogoJLineState = Bundle.ACTIVE;
    /** Whether Gogo's command processor is registered (a refresh of Gogo's runtime takes it away for a while). */
    private volatile boolean processorRegistered = true;
    private final InteractiveShell shell = new InteractiveShell(context(gogoShell), status -> calls.add("exit " + status));
    private final Terminal terminal;

    /** Stands for Gogo JLine's Shell: what is relied on is its public stop(). */
    public final class FakeShell {
        public void stop() {
            calls.add("Shell.stop");
        }
    }

    public InteractiveShellTest() throws IOException {
        terminal = TerminalBuilder.builder().system(false).dumb(true)
                .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).build();
    }

    @After
    public void close() throws IOException {
        terminal.close();
    }

    private BundleContext context(Object... shells) {
        Bundle gogoJLine = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getState" -> gogoJLineState;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ServiceReference<?> reference = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> method.getName().equals("getBundle") ? gogoJLine : null);
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAllServiceReferences" -> {
                        if (args[0].equals(CommandProcessor.class.getName())) { // its bundle is as Gogo JLine's
                            yield processorRegistered ? new ServiceReference<?>[] {reference} : null;
                        }
                        assertEquals(InteractiveShell.GOGO_SHELL, args[0]);
                        yield shells.length == 0 ? null : new ServiceReference<?>[] {reference};
                    }
                    case "getService" -> shells[0];
                    case "ungetService" -> {
                        calls.add("unget");
                        yield true;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A line reader that is, or is not, in readLine: the shell at its prompt, or running a command. */
    private static LineReader reader(boolean reading) {
        return (LineReader) Proxy.newProxyInstance(InteractiveShellTest.class.getClassLoader(),
                new Class<?>[] {LineReader.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isReading" -> reading;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Map<String, Object> interactive(boolean reading) {
        return Map.of(InteractiveShell.TERMINAL, terminal, InteractiveShell.READER, reader(reading));
    }

    private static CommandSession session(Map<String, Object> variables) {
        return (CommandSession) Proxy.newProxyInstance(InteractiveShellTest.class.getClassLoader(),
                new Class<?>[] {CommandSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> variables.get((String) args[0]);
                    case "foregroundJob" -> null; // Ctrl-C then goes to the handler the terminal had
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /**
     * A shell's thread as Gogo JLine runs it: a command line (the listener sees its session), then the prompt, where
     * JLine's reader interrupts the thread on SIGINT.
     */
    private Thread shellAtItsPrompt(CommandSession session) throws InterruptedException {
        return shellAtItsPrompt(session, InteractiveShell.LOGIN_THREAD);
    }

    private Thread shellAtItsPrompt(CommandSession session, String threadName) throws InterruptedException {
        CountDownLatch atPrompt = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            shell.beforeExecute(session, "cd /");
            atPrompt.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                calls.add("the prompt's read interrupted");
            }
        }, threadName);
        terminal.handle(Terminal.Signal.INT, signal -> {
            calls.add("SIGINT");
            thread.interrupt();
        });
        thread.start();
        assertTrue(atPrompt.await(5, TimeUnit.SECONDS));
        return thread;
    }

    @Test(timeout = 10000)
    public void endStopsTheLoopAndInterruptsTheShellWaitingAtItsPromptThenWaitsForItsThread() throws Exception {
        Thread thread = shellAtItsPrompt(session(interactive(true)));

        assertTrue("the shell's thread did not end", shell.end(Duration.ofSeconds(5)));

        assertFalse(thread.isAlive());
        assertEquals(List.of("Shell.stop", "unget", "SIGINT", "the prompt's read interrupted"), calls);
    }

    /** The stop's SIGINT reached a handler that did not interrupt the read (once in some 40 SIGTERMs on JDK 25). */
    @Test(timeout = 10000)
    public void aShellAtItsPromptThatSigintDoesNotReachIsInterruptedItself() throws Exception {
        Thread thread = shellAtItsPrompt(session(interactive(true)));
        terminal.handle(Terminal.Signal.INT, signal -> calls.add("SIGINT, not passed on"));

        assertTrue("the shell's thread did not end", shell.end(Duration.ofSeconds(3)));

        assertFalse(thread.isAlive());
        assertEquals(List.of("Shell.stop", "unget", "SIGINT, not passed on", "SIGINT, not passed on",
                "the prompt's read interrupted"), calls);
    }

    @Test(timeout = 10000)
    public void afterExitStoppedTheLoopEndOnlyWaits() throws Exception {
        Thread thread = shellAtItsPrompt(session(interactive(true)));
        shell.stopLoops();
        calls.clear();

        assertFalse("a shell still at its prompt was waited for beyond the time given",
                shell.end(Duration.ofMillis(200)));

        assertEquals("exit's shell is ending by itself: no second stop, no SIGINT", List.of(), calls);
        thread.interrupt();
    }

    @Test(timeout = 10000)
    public void aShellRunningACommandIsGivenTimeToFinishItThenGetsSigint() throws Exception {
        CountDownLatch commandDone = new CountDownLatch(1);
        Thread finishing = new Thread(() -> {
            shell.beforeExecute(session(interactive(false)), "stop 0");
            try {
                commandDone.await();
            } catch (InterruptedException e) {
                calls.add("the command interrupted");
            }
        }, "Gogo shell");
        terminal.handle(Terminal.Signal.INT, signal -> {
            calls.add("SIGINT");
            finishing.interrupt();
        });
        finishing.start();
        Thread.sleep(100);
        new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            commandDone.countDown();
        }).start();

        assertTrue(shell.end(Duration.ofSeconds(3)));
        assertEquals("a command that finishes within a third of the time is not interrupted",
                List.of("Shell.stop", "unget"), calls);
    }

    @Test(timeout = 10000)
    public void aCommandThatDoesNotFinishIsInterruptedAsByCtrlC() throws Exception {
        Thread thread = shellAtItsPrompt(session(interactive(false)));

        assertTrue(shell.end(Duration.ofMillis(900)));

        assertFalse(thread.isAlive());
        assertEquals(List.of("Shell.stop", "unget", "SIGINT", "the prompt's read interrupted"), calls);
    }

    @Test(timeout = 10000)
    public void aSessionWithoutATerminalIsNoInteractiveShell() throws Exception {
        Thread thread = shellAtItsPrompt(session(Map.of()));

        assertTrue("nothing to wait for", shell.end(Duration.ofSeconds(5)));

        assertEquals(List.of("Shell.stop", "unget"), calls);
        thread.interrupt();
    }

    private static Bundle bundle(long id) {
        return (Bundle) Proxy.newProxyInstance(InteractiveShellTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> id;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test(timeout = 10000)
    public void theFrameworkBeginningToStopEndsTheShellAndOtherBundlesStoppingDoNot() throws Exception {
        Thread thread = shellAtItsPrompt(session(interactive(true)));

        shell.bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle(7)));
        shell.bundleChanged(new BundleEvent(BundleEvent.STOPPED, bundle(0)));
        assertEquals(List.of(), calls);

        shell.bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle(0)));
        assertFalse("the framework's stop went on with the shell's thread alive", thread.isAlive());
        assertEquals(List.of("Shell.stop", "unget", "SIGINT", "the prompt's read interrupted"), calls);
    }

    /** The login shell's thread: a command line, then its input ends (Ctrl-D) and Gogo JLine's gosh returns. */
    private Thread loginShellWhoseInputEnds(CountDownLatch inputEnds) {
        Thread thread = new Thread(() -> {
            shell.beforeExecute(session(interactive(true)), "cd /");
            try {
                inputEnds.await();
            } catch (InterruptedException e) {
                calls.add("the prompt's read interrupted");
            }
        }, InteractiveShell.LOGIN_THREAD);
        thread.start();
        return thread;
    }

    @Test(timeout = 10000)
    public void theEndOfTheLoginShellsInputEndsDevrtWithStatusZero() throws Exception {
        CountDownLatch inputEnds = new CountDownLatch(1);
        Thread thread = loginShellWhoseInputEnds(inputEnds);
        Thread.sleep(100);
        assertEquals("nothing before the input ends", List.of(), calls);

        inputEnds.countDown();
        thread.join();
        while (calls.isEmpty()) {
            Thread.sleep(10);
        }
        assertEquals(List.of("exit 0"), calls);
    }

    /**
     * A refresh of Configuration Admin reaches Gogo's runtime: Gogo JLine ends its shell while the command processor
     * is gone and starts a new one when it is back. That ended devrt with status 1, as a shell that failed.
     */
    @Test(timeout = 10000)
    public void aLoginShellEndedBecauseGogosCommandProcessorWentDoesNotEndDevrt() throws Exception {
        CountDownLatch inputEnds = new CountDownLatch(1);
        Thread thread = loginShellWhoseInputEnds(inputEnds);
        Thread.sleep(100);
        processorRegistered = false;

        inputEnds.countDown();
        thread.join();
        Thread.sleep(500); // the watch looks at once; the input check takes at most 200 ms

        assertEquals("devrt was not ended", List.of(), calls);
    }

    /**
     * Gogo's command processor unregistering (a refresh reaching Gogo's runtime): the login shell at its prompt is
     * ended from here, with the terminal open, before Gogo JLine's own stop, which closed the terminal and then
     * waited up to 5 s while the old shell could still take a key; devrt is not ended, and the next login shell is
     * watched (and ended at the framework's stop) again.
     */
    @Test(timeout = 10000)
    public void theProcessorGoingEndsTheLoginShellAtOnceAndTheNextOneIsWatchedAgain() throws Exception {
        Thread thread = shellAtItsPrompt(session(interactive(true)));
        ServiceReference<?> processor = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> null);

        shell.processorChanged(new ServiceEvent(ServiceEvent.UNREGISTERING, processor));

        thread.join(2000);
        assertFalse("the old shell's thread still runs", thread.isAlive());
        Thread.sleep(300); // the logout watch looks at once, then takes at most 200 ms
        assertFalse("devrt was ended: " + calls, calls.stream().anyMatch(c -> c.startsWith("exit")));
        assertTrue(calls.toString(), calls.contains("Shell.stop"));
        calls.clear();
        Thread next = shellAtItsPrompt(session(interactive(true)));
        assertTrue("the next shell did not end at the framework's stop", shell.end(Duration.ofSeconds(3)));
        assertFalse(next.isAlive());
        assertTrue("the next shell's loop was not stopped: " + calls, calls.contains("Shell.stop"));
    }

    /** JLine 3.21 threw on some invalid UTF-8, the loop ended as at the end of input, and devrt ended with 0. */
    @Test(timeout = 10000)
    public void aShellThatEndsWithInputLeftUnreadHasFailed() throws Exception {
        try (Terminal unread = TerminalBuilder.builder().system(false).dumb(true)
                .streams(new ByteArrayInputStream("echo two\n".getBytes()), new ByteArrayOutputStream()).build()) {
            assertFalse(InteractiveShell.inputEnded(unread));
        }
        assertTrue("an empty pipe has ended", InteractiveShell.inputEnded(terminal));
    }

    @Test(timeout = 10000)
    public void aLoginShellEndedByTheFrameworksStopOrWithItsBundleDoesNotEndTheJvm() throws Exception {
        Thread thread = shellAtItsPrompt(session(interactive(true)));
        shell.bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle(0)));
        thread.join();

        gogoJLineState = Bundle.STOPPING;
        CountDownLatch inputEnds = new CountDownLatch(1);
        InteractiveShell other = new InteractiveShell(context(gogoShell), status -> calls.add("exit " + status));
        Thread second = new Thread(() -> {
            other.beforeExecute(session(interactive(true)), "cd /");
            try {
                inputEnds.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, InteractiveShell.LOGIN_THREAD);
        second.start();
        Thread.sleep(100);
        inputEnds.countDown();
        second.join();

        Thread.sleep(300);
        assertFalse("the JVM was ended: " + calls, calls.stream().anyMatch(call -> call.startsWith("exit")));
    }

    @Test(timeout = 10000)
    public void aShellOnAnotherThreadThanTheLoginShellsIsNotWatched() throws Exception {
        Thread thread = shellAtItsPrompt(session(interactive(true)), "pipe-gosh");
        thread.interrupt();
        thread.join();
        Thread.sleep(300);
        assertEquals(List.of(), calls.stream().filter(call -> call.startsWith("exit")).toList());
    }

    @Test(timeout = 10000)
    public void aTerminalWithoutColumnsIsGivenASizeBeforeTheFirstPromptAndOneWithASizeKeepsIt() throws Exception {
        terminal.setSize(new Size(0, 0)); // a pipe's, as JLine gives it
        Thread thread = shellAtItsPrompt(session(interactive(true)));
        assertEquals(InteractiveShell.FALLBACK_SIZE, terminal.getSize());
        thread.interrupt();

        terminal.setSize(new Size(132, 50));
        InteractiveShell.giveASize(terminal);
        assertEquals(new Size(132, 50), terminal.getSize());
    }

    /** JLine's reader has its own SIGINT handler while it reads: Ctrl-C at the prompt, and end()'s SIGINT, need it. */
    @Test
    public void ctrlCIsTakenOverBeforeACommandLineButNeverWhileTheReaderReads() {
        Terminal.SignalHandler jline = signal -> { };
        terminal.handle(Terminal.Signal.INT, jline);
        shell.beforeExecute(session(interactive(true)), "__files");
        assertTrue(terminal.handle(Terminal.Signal.INT, jline) == jline);

        shell.beforeExecute(session(interactive(false)), "ping 10.0.2.2");
        assertTrue(terminal.handle(Terminal.Signal.INT, jline) instanceof InteractiveShell.CtrlC);
    }

    @Test
    public void withoutGogoJLineStopLoopsDoesNothing() {
        new InteractiveShell(context()).stopLoops();
        assertEquals(List.of(), calls);
    }
}
