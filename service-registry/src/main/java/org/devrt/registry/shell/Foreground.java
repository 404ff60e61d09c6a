package org.devrt.registry.shell;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.Process;

/**
 * Which thread Ctrl-C interrupts for a devrt command that runs until interrupted ({@code ping}, {@code udplisten}).
 * Gogo JLine's Ctrl-C cancels the command's whole job: the command was interrupted and printed its last words (ping
 * its statistics), and the job's own interrupted wait then reached the terminal as
 * {@code java.lang.InterruptedException}. A command that says here which thread runs it is interrupted itself
 * instead (devrt.system's {@code InteractiveShell} handles the terminal's SIGINT), ends as it does on an
 * interrupt, and its line ends as if it had ended on its own.
 *
 * <p>Never while it writes to the terminal through {@link Registration#guard}: Gogo's session writes through
 * {@code Channels.newChannel(OutputStream)}, an interruptible channel, which an interrupt in the middle of a write
 * closes, and with it the terminal's stream: a Ctrl-C that came while ping printed a line left the shell with no
 * prompt and no echo for the rest of the session. An interrupt that comes during such a write is held until it is
 * done.
 *
 * <p>What the shell calls is a {@link Runnable} (a JDK type: each bundle has its own copy of this class), kept in a
 * session variable keyed by the command's job, so that every copy finds the same ones and a job in the background
 * is not taken for the one in the foreground.
 */
public final class Foreground {
    /** Session variable: how to interrupt each such command, {@code Map<Job, Runnable>}. */
    static final String THREADS = ".devrt.foreground";

    private Foreground() {
    }

    /** Ends what {@link #run} registered. */
    public interface Registration extends AutoCloseable {
        /**
         * {@code out} for this command's thread to write to: an interrupt that comes while it writes waits until
         * the write is done (and one already pending is held during it).
         */
        PrintStream guard(PrintStream out);

        @Override
        void close();
    }

    /**
     * Registers the calling thread as the one to interrupt when Ctrl-C comes for the command's job, until the
     * registration is closed; outside a Gogo command, nothing is registered and {@link Registration#guard} gives its
     * stream back.
     */
    public static Registration run() {
        Process process = Process.Utils.current();
        CommandSession session = CommandSession.Utils.current();
        Job job = process == null ? null : process.job();
        if (session == null || job == null) {
            return new Registration() {
                @Override
                public PrintStream guard(PrintStream out) {
                    return out;
                }

                @Override
                public void close() {
                }
            };
        }
        Map<Object, Runnable> interrupts = interrupts(session, true);
        Interrupt interrupt = new Interrupt(Thread.currentThread());
        interrupts.put(job, interrupt);
        return new Registration() {
            @Override
            public PrintStream guard(PrintStream out) {
                return new PrintStream(new GuardedStream(out, interrupt), true, StandardCharsets.UTF_8);
            }

            @Override
            public void close() {
                interrupts.remove(job, interrupt);
                interrupt.close();
            }
        };
    }

    /** How to interrupt the command registered for {@code job} in {@code session}, or null. */
    public static Runnable of(CommandSession session, Job job) {
        Map<Object, Runnable> interrupts = job == null ? null : interrupts(session, false);
        return interrupts == null ? null : interrupts.get(job);
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Runnable> interrupts(CommandSession session, boolean create) {
        synchronized (session) {
            Object value = session.get(THREADS);
            if (value instanceof Map<?, ?> map) {
                return (Map<Object, Runnable>) map;
            }
            if (!create) {
                return null;
            }
            Map<Object, Runnable> interrupts = new ConcurrentHashMap<>();
            session.put(THREADS, interrupts);
            return interrupts;
        }
    }

    /** Interrupts the command's thread now, or when the write it is in is done; never once the command is over. */
    private static final class Interrupt implements Runnable {
        private final Thread thread;
        private int writing;
        private boolean held;
        private boolean fired;
        private boolean closed;

        Interrupt(Thread thread) {
            this.thread = thread;
        }

        @Override
        public synchronized void run() {
            if (closed) {
                return;
            }
            fired = true;
            if (writing > 0) {
                held = true;
            } else {
                thread.interrupt();
            }
        }

        /**
         * The command is over (on its thread): a Ctrl-C for it that it has not taken is cleared, since Gogo writes
         * its line's end through the same channel on this thread.
         */
        void close() {
            boolean clear;
            synchronized (this) {
                closed = true;
                clear = fired;
            }
            if (clear) {
                Thread.interrupted();
            }
        }

        /** A write begins on the command's thread; an interrupt already pending is held until it ends. */
        void enter() {
            synchronized (this) {
                writing++; // from here run() holds its interrupt
            }
            if (Thread.interrupted()) { // one that came before
                synchronized (this) {
                    held = true;
                }
            }
        }

        void exit() {
            boolean interrupt;
            synchronized (this) {
                interrupt = --writing == 0 && held;
                if (interrupt) {
                    held = false;
                }
            }
            if (interrupt) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes to the terminal with the command's interrupt held meanwhile. */
    private static final class GuardedStream extends OutputStream {
        private final PrintStream out;
        private final Interrupt interrupt;

        GuardedStream(PrintStream out, Interrupt interrupt) {
            this.out = out;
            this.interrupt = interrupt;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            interrupt.enter();
            try {
                out.write(b, off, len);
                out.flush();
            } finally {
                interrupt.exit();
            }
        }

        @Override
        public void flush() {
            interrupt.enter();
            try {
                out.flush();
            } finally {
                interrupt.exit();
            }
        }
    }
}
