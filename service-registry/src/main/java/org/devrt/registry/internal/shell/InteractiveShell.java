package org.devrt.registry.internal.shell;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.InvalidSyntaxException;
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

    private final BundleContext context;
    private final Map<Thread, Interactive> sessions = new ConcurrentHashMap<>();

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
        this.context = context;
    }

    @Activate
    void activate() {
        context.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
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
            sessions.putIfAbsent(Thread.currentThread(), new Interactive(session, terminal, reader));
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
