package org.devrt.system.internal.shell;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.devrt.registry.shell.Foreground;
import org.jline.reader.LineReader;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends Gogo JLine's interactive shell when the framework begins to stop (the system bundle's STOPPING event, before
 * any bundle stops: SIGTERM, {@code exit}, {@code stop 0}), so that its thread is gone when Gogo JLine's own stop
 * comes. That stop sets the shell's stop flag, closes the terminal, then interrupts the shell's thread every 10
 * ms until it ends, for at most 5 s. JLine reads the terminal in slices of 0.1 s (VMIN 0, VTIME 1) and looks for an
 * interrupt between them; but closing the terminal gives it back its first settings, under which a read waits for a
 * byte, and a read begun between the close and the first interrupt does not return: Gogo then waited its 5 s and
 * printed {@code !!! FAILED TO STOP EXECUTOR !!!} (2 of 5 SIGTERMs at the prompt). Ended from here, with the terminal
 * still open, the shell's thread leaves at once.
 *
 * <p>It knows the interactive sessions as a {@link CommandSessionListener}: those whose session has a terminal and a
 * line reader ({@code .terminal} and {@code .reader}, set by Gogo JLine), on the thread that runs their command lines.
 *
 * <p>It also ends devrt when the login shell's input ends (Ctrl-D at the prompt, the end of a script piped into
 * {@code ./devrt}), as {@code exit 0} does: run.bndrun gives Gogo JLine {@code --noshutdown}, because its own stop of
 * the framework there made the bnd launcher end the JVM with status 117, which a script took for a failure. The
 * login shell is the session on Gogo JLine's thread {@value #LOGIN_THREAD}; when that thread ends by itself (not
 * ended from here, its bundle not stopping), the JVM ends with status 0 and the shutdown hook stops the framework.
 */
@Component(service = {CommandSessionListener.class, InteractiveShell.class}, immediate = true)
public final class InteractiveShell implements CommandSessionListener, SynchronousBundleListener {
    /** How long the framework's stop waits for the shell's thread to end. */
    static final Duration END_TIMEOUT = Duration.ofSeconds(1);
    /** Gogo JLine's shell, registered as a service of this class (its package is not imported). */
    public static final String GOGO_SHELL = "org.apache.felix.gogo.jline.Shell";
    static final String TERMINAL = ".terminal";
    static final String READER = ".reader";
    private static final Logger LOG = LoggerFactory.getLogger(InteractiveShell.class);

    /** The thread on which Gogo JLine's activator runs the login shell. */
    static final String LOGIN_THREAD = "Gogo shell";
    /** The size of a terminal that has none. */
    static final Size FALLBACK_SIZE = new Size(80, 24);

    private final BundleContext context;
    private final IntConsumer jvmExit;
    private final Map<Thread, Interactive> sessions = new ConcurrentHashMap<>();
    private final Map<Terminal, CtrlC> ctrlC = new ConcurrentHashMap<>();
    private volatile Thread logoutWatch;
    private final ServiceListener processorGoing = this::processorChanged;

    /**
     * An interactive session, its terminal and its line reader. The session is held too: Gogo's command processor
     * keeps its sessions in a {@code WeakHashMap} and, as it stops, copies the keys into an array of the size it read
     * just before; a session collected in between (Gogo JLine's login session, unreachable once the shell's thread
     * has ended, which now happens before Gogo's runtime stops) left a null there and its stop failed with a
     * NullPointerException on the terminal (once in some 40 SIGTERMs at the prompt).
     */
    private record Interactive(CommandSession session, Terminal terminal, LineReader reader) {
    }
    private final AtomicBoolean loopsStopped = new AtomicBoolean();

    @Activate
    public InteractiveShell(BundleContext context) {
        this(context, System::exit);
    }

    /** @param jvmExit what ends the JVM with a status (called on a thread of its own) */
    InteractiveShell(BundleContext context, IntConsumer jvmExit) {
        this.context = context;
        this.jvmExit = jvmExit;
    }

    @Activate
    void activate() {
        context.addBundleListener(this);
        try {
            context.addServiceListener(processorGoing,
                    "(" + Constants.OBJECTCLASS + "=" + CommandProcessor.class.getName() + ")");
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Deactivate
    void deactivate() {
        context.removeServiceListener(processorGoing);
        context.removeBundleListener(this);
        Thread watch = logoutWatch;
        if (watch != null) {
            watch.interrupt();
        }
    }

    /**
     * Gogo's command processor going (a refresh of Gogo's runtime, or of a bundle it imports from): Gogo
     * JLine stops its shell and starts a new one when the processor is back, but its stop closes the terminal first
     * and then interrupts the shell's thread for up to 5 s ("FAILED TO STOP EXECUTOR" on Temurin 25), and a key read
     * meanwhile went to the old shell and was lost ("wd: command not found"). Ended from here first, with the
     * terminal still open, as at the framework's stop, the old shell's thread leaves at once. The next login shell
     * is watched again ({@link #beforeExecute}).
     */
    void processorChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.UNREGISTERING) {
            end(END_TIMEOUT);
            sessions.keySet().removeIf(thread -> !thread.isAlive());
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STOPPING && event.getBundle().getBundleId() == 0) {
            end(END_TIMEOUT);
        }
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        if (session.get(TERMINAL) instanceof Terminal terminal && session.get(READER) instanceof LineReader reader) {
            Thread thread = Thread.currentThread();
            Interactive shell = new Interactive(session, terminal, reader);
            if (sessions.putIfAbsent(thread, shell) == null) {
                giveASize(terminal);
                if (thread.getName().equals(LOGIN_THREAD)) {
                    loopsStopped.set(false); // a new login shell (Gogo JLine's, after its processor came back)
                    watchForLogout(thread, shell);
                }
            }
            if (!reader.isReading()) { // never JLine's own handler while it reads a line (its Ctrl-C, end()'s SIGINT)
                ctrlC.computeIfAbsent(terminal, t -> new CtrlC(session)).takeOver(terminal);
            }
        }
    }

    /**
     * The terminal's SIGINT while a command runs: the thread of a devrt command registered with {@link Foreground}
     * for the foreground job is interrupted (once it is not writing to the terminal), any other job is left to Gogo JLine's handler, which cancels it. Gogo
     * JLine sets its handler as its loop begins (after the profile) and JLine's reader its own while it reads a line,
     * giving the previous one back after; so it is taken over again before each command line.
     */
    static final class CtrlC implements Terminal.SignalHandler {
        private final CommandSession session;
        private volatile Terminal.SignalHandler gogo;

        CtrlC(CommandSession session) {
            this.session = session;
        }

        void takeOver(Terminal terminal) {
            Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, this);
            if (previous != this) {
                gogo(previous);
            }
        }

        /** The handler for the jobs of other commands. */
        void gogo(Terminal.SignalHandler handler) {
            gogo = handler;
        }

        @Override
        public void handle(Terminal.Signal signal) {
            Runnable command = Foreground.of(session, session.foregroundJob());
            if (command != null) {
                command.run();
                return;
            }
            Terminal.SignalHandler other = gogo;
            if (other != null && other != Terminal.SignalHandler.SIG_DFL && other != Terminal.SignalHandler.SIG_IGN) {
                other.handle(signal);
            }
        }
    }

    /**
     * Gives a terminal without a size (0 columns: standard input a pipe, {@code ./devrt < script}, or a
     * pseudo-terminal nobody sized, as some container runtimes and CI runners leave it) {@link #FALLBACK_SIZE}, as
     * {@code stty cols 80 rows 24} would: with 0 columns JLine 3.21's line reader loops for ever in its first
     * redisplay (jline3 issue 751), at 100% CPU and without a prompt. Called before the first prompt: the session's
     * first command line is the profile's.
     */
    static void giveASize(Terminal terminal) {
        if (terminal.getWidth() <= 0) {
            terminal.setSize(FALLBACK_SIZE);
        }
    }

    /** Ends devrt with status 0 once the login shell's thread ends by itself: its input has ended. */
    private void watchForLogout(Thread login, Interactive shell) {
        Thread watch = new Thread(() -> {
            try {
                login.join();
            } catch (InterruptedException e) {
                return; // this component is going
            }
            if (loopsStopped.get() || goneOrGoing(GOGO_SHELL) || goneOrGoing(CommandProcessor.class.getName())) {
                // ended from here, by exit or the framework's stop, or with its bundle; or with Gogo's runtime,
                // which Gogo JLine starts a new shell for when it is back (a refresh of Gogo's runtime): that ended
                // devrt with status 1 as a shell failed
                sessions.remove(login);
                return;
            }
            boolean ended = inputEnded(shell.terminal());
            String said = ended ? "devrt: end of input; stopping, then the JVM ends with status 0"
                    : "devrt: the shell failed with input left unread (its error is above); stopping, then the JVM ends"
                            + " with status 1";
            try {
                shell.terminal().writer().println(said);
                shell.terminal().flush();
            } catch (RuntimeException e) {
                LOG.debug("cannot say so on the terminal", e);
            }
            if (!ended) {
                LOG.error(said);
            }
            jvmExit.accept(ended ? 0 : 1);
        }, "devrt-logout");
        watch.setDaemon(true);
        logoutWatch = watch;
        watch.start();
    }

    /**
     * Whether the shell's loop ended because its input did: the end of a pipe, or Ctrl-D at a terminal with nothing
     * more typed. Not when the loop ended on an error with input still to read: JLine 3.21's reader throws an
     * ArrayIndexOutOfBoundsException on some invalid UTF-8, which ended the loop as the end of input did, and a
     * script's later lines never ran while devrt ended with status 0.
     */
    static boolean inputEnded(Terminal terminal) {
        // looked at on a thread of its own: a terminal whose shell has ended has its first settings back, under
        // which a read waits for a key whatever its time-out; no answer means nothing is left to read
        FutureTask<Integer> next = new FutureTask<>(() -> terminal.reader().peek(50));
        Thread look = new Thread(next, "devrt-input-check");
        look.setDaemon(true);
        look.start();
        try {
            int c = next.get(200, TimeUnit.MILLISECONDS);
            return c == NonBlockingReader.EOF || c == NonBlockingReader.READ_EXPIRED;
        } catch (TimeoutException e) {
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether the service {@code className} is gone, or the bundle that registered it is going: Gogo JLine's shell
     * (its stop ends the shell), or Gogo's command processor (Gogo JLine ends its shell when the processor goes and
     * starts a new one when it comes back).
     */
    private boolean goneOrGoing(String className) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(className, null);
            if (refs == null) {
                return true;
            }
            Bundle bundle = refs[0].getBundle();
            return bundle == null || bundle.getState() != Bundle.ACTIVE;
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return true; // no filter given; or this bundle's context is no longer valid: it is stopping
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
    }

    /**
     * Sets the stop flag of each Gogo JLine shell ({@code Shell.stop()}, which the shell checks before it reads a
     * line): the shell reads no further line, and its thread ends once the command running returns. {@code exit}
     * calls it on the shell's own thread. No such service (no Gogo JLine, another version) is no error: Gogo JLine's
     * stop then ends the shell as before.
     */
    public void stopLoops() {
        loopsStopped.set(true);
        try {
            ServiceReference<?>[] shells = context.getAllServiceReferences(GOGO_SHELL, null);
            for (ServiceReference<?> reference : shells == null ? new ServiceReference<?>[0] : shells) {
                Object shell = context.getService(reference);
                if (shell != null) {
                    try {
                        shell.getClass().getMethod("stop").invoke(shell);
                    } finally {
                        context.ungetService(reference);
                    }
                }
            }
        } catch (ReflectiveOperationException | InvalidSyntaxException | RuntimeException e) {
            LOG.debug("cannot stop the shell's loop; Gogo JLine's stop ends the shell", e);
        }
    }

    /**
     * Ends the interactive shells, as the framework stops, and waits at most {@code timeout} for their threads to
     * end. Unless {@link #stopLoops} has already stopped them ({@code exit}), it stops their loops and raises SIGINT
     * on the terminal of each shell waiting at its prompt: JLine's reader interrupts itself as for Ctrl-C and the
     * shell, its loop stopped, ends. A shell running a command ({@code stop 0} is one) is given a third of the time
     * to finish it; then it gets SIGINT too, which interrupts the command as Ctrl-C does (and Gogo prints the
     * command's {@code InterruptedException}, as it does for Ctrl-C), so that it ends before the framework stops.
     *
     * @return whether every shell thread has ended
     */
    public boolean end(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!loopsStopped.get()) {
            stopLoops();
            sessions.values().stream().filter(shell -> shell.reader().isReading())
                    .forEach(shell -> shell.terminal().raise(Terminal.Signal.INT));
            join(System.nanoTime() + timeout.toNanos() / 3);
            sessions.forEach((thread, shell) -> {
                if (thread.isAlive()) {
                    shell.terminal().raise(Terminal.Signal.INT);
                    if (shell.reader().isReading()) {
                        // at its prompt still: the terminal's SIGINT reached a handler that does not interrupt the
                        // read (seen about once in 40 SIGTERMs on JDK 25: Gogo then waited its 5 s). JLine reads on
                        // this thread, in 0.1 s slices, and an interrupt between them ends readLine as Ctrl-C does
                        thread.interrupt();
                    }
                }
            });
        }
        join(deadline);
        return sessions.keySet().stream().noneMatch(Thread::isAlive);
    }

    /** Waits until the shell threads have ended, at most until {@code deadline} ({@link System#nanoTime}). */
    private void join(long deadline) {
        try {
            for (Thread thread : sessions.keySet()) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
