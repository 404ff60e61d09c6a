package org.devrt.registry.shell;

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
 * instead (service-registry's {@code InteractiveShell} handles the terminal's SIGINT), ends as it does on an
 * interrupt, and its line ends as if it had ended on its own. The threads are a session variable, keyed by the
 * command's job, so that every bundle's copy of this class finds the same ones, and a job in the background is not
 * taken for the one in the foreground.
 */
public final class Foreground {
    /** Session variable: the threads of such commands, {@code Map<Job, Thread>}. */
    static final String THREADS = ".devrt.foreground";

    private Foreground() {
    }

    /** Ends what {@link #run} registered. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Registers the calling thread as the one to interrupt when Ctrl-C comes for the command's job, until the
     * registration is closed; outside a Gogo command, nothing.
     */
    public static Registration run() {
        Process process = Process.Utils.current();
        CommandSession session = CommandSession.Utils.current();
        Job job = process == null ? null : process.job();
        if (session == null || job == null) {
            return () -> { };
        }
        Map<Object, Thread> threads = threads(session, true);
        Thread thread = Thread.currentThread();
        threads.put(job, thread);
        return () -> threads.remove(job, thread);
    }

    /** The thread registered for {@code job} in {@code session}, or null. */
    public static Thread of(CommandSession session, Job job) {
        Map<Object, Thread> threads = job == null ? null : threads(session, false);
        return threads == null ? null : threads.get(job);
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Thread> threads(CommandSession session, boolean create) {
        synchronized (session) {
            Object value = session.get(THREADS);
            if (value instanceof Map<?, ?> map) {
                return (Map<Object, Thread>) map;
            }
            if (!create) {
                return null;
            }
            Map<Object, Thread> threads = new ConcurrentHashMap<>();
            session.put(THREADS, threads);
            return threads;
        }
    }
}
