package org.devrt.system.internal;

import java.io.PrintStream;
import java.util.function.IntConsumer;

import org.apache.felix.service.command.Descriptor;
import org.devrt.registry.shell.Arguments;
import org.devrt.registry.shell.CommandOutput;
import org.devrt.system.internal.shell.InteractiveShell;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code devrt:exit} shell command: ends devrt as SIGTERM does. It ends the JVM with the status given, and the
 * JVM's end runs {@link ShutdownHook}, which stops the framework first: volumes flushed and unmounted, drivers
 * detached.
 *
 * <p>{@code System.exit} runs on a thread of its own. On the shell's thread it would never return, and the shell,
 * stopped with the framework, would be interrupted while it waits for its command: Gogo then prints the
 * {@code InterruptedException}. Without this command, {@code exit} is {@code java.lang.System.exit(int)}, which
 * etc/gosh_profile adds with Gogo's {@code system} commands: {@code exit 0} printed that exception and a bare
 * {@code exit} failed with "Cannot coerce exit() to any of [(int)]".
 *
 * <p>Before the JVM's end begins, the command stops the read loop of Gogo JLine's shell
 * ({@link InteractiveShell#stopLoops}): once the command returns, the shell's thread leaves its loop instead of
 * reading the terminal again, and the framework's stop, finding the loop stopped, only waits for the thread to end
 * (it raises no SIGINT, which would reach this command while it returns).
 */
@Component(service = Object.class, property = {"osgi.command.scope=devrt", "osgi.command.function=exit"})
public final class ExitCommand {
    static final String USAGE = """
            usage: exit [status]
              stops devrt as SIGTERM does (volumes flushed and unmounted, drivers detached), then ends the JVM
              with the status, 0 to 255 (default 0). Ctrl-D at the prompt is 'exit 0'. ('stop 0' stops the
              framework only; the launcher then ends with status 117.)
            """;

    private final IntConsumer jvmExit;
    private final Runnable endShellLoop;
    private final PrintStream out;

    @Activate
    public ExitCommand(@Reference InteractiveShell shell) {
        this(System::exit, shell::stopLoops, null);
    }

    /**
     * @param jvmExit what ends the JVM with a status, called on a thread of its own
     * @param endShellLoop what ends the interactive shell's read loop, called before {@code jvmExit}
     * @param out where the command says what it does, or null for System.out as it is when the command runs (Gogo
     *        routes it to the session's terminal)
     */
    ExitCommand(IntConsumer jvmExit, Runnable endShellLoop, PrintStream out) {
        this.jvmExit = jvmExit;
        this.endShellLoop = endShellLoop;
        this.out = out;
    }

    @Descriptor("stop devrt (volumes flushed and unmounted, drivers detached) and end the JVM with a status")
    public String exit(@Descriptor("[status], 0 to 255, default 0") String... words) {
        String[] args = Arguments.present(words);
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            return USAGE;
        }
        if (args.length > 1) {
            return wrong("unexpected argument '" + args[1] + "'");
        }
        int status = 0;
        if (args.length == 1) {
            try {
                status = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                status = -1;
            }
            if (status < 0 || status > 255) {
                return wrong("not a status from 0 to 255: '" + args[0] + "'");
            }
        }
        // said before the JVM's end begins: the shell stops with the framework and might not print a result
        (out != null ? out : System.out).println("devrt: stopping; the JVM ends with status " + status
                + " once the framework has stopped");
        endShellLoop.run();
        int exitStatus = status;
        new Thread(() -> jvmExit.accept(exitStatus), "devrt-exit").start();
        return null;
    }

    private static String wrong(String problem) {
        return CommandOutput.error("exit: " + problem + "\n" + USAGE);
    }
}
