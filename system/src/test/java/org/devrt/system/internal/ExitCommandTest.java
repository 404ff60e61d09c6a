package org.devrt.system.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

public class ExitCommandTest {
    private final BlockingQueue<String> calls = new ArrayBlockingQueue<>(4);
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ExitCommand command = new ExitCommand(
            status -> calls.add(status + " on " + Thread.currentThread().getName()),
            () -> calls.add("shell loop ended on " + Thread.currentThread().getName()),
            new PrintStream(printed, true, StandardCharsets.UTF_8));

    private String exitCall() throws InterruptedException {
        return calls.poll(5, TimeUnit.SECONDS);
    }

    @Test
    public void exitWithoutAStatusEndsTheJvmWithZeroOnAThreadOfItsOwn() throws InterruptedException {
        assertEquals(null, command.exit());
        assertEquals("devrt: stopping; the JVM ends with status 0 once the framework has stopped\n",
                printed.toString(StandardCharsets.UTF_8));
        assertEquals("the shell's read loop was not ended on the shell's thread before the JVM's end began",
                "shell loop ended on " + Thread.currentThread().getName(), exitCall());
        String call = exitCall();
        assertEquals("System.exit was not called with 0 on devrt-exit", "0 on devrt-exit", call);
    }

    @Test
    public void exitPassesTheStatusGiven() throws InterruptedException {
        command.exit("3");
        exitCall();
        assertEquals("3 on devrt-exit", exitCall());
    }

    @Test
    public void aWrongStatusIsNamedWithTheUsageAndNothingEnds() throws InterruptedException {
        for (String wrong : new String[] {"abc", "256", "-1", "99999999999"}) {
            String text = command.exit(wrong);
            assertTrue(text, text.startsWith("exit: not a status from 0 to 255: '" + wrong + "'\nusage: exit [status]"));
        }
        String text = command.exit("1", "2");
        assertTrue(text, text.startsWith("exit: unexpected argument '2'\nusage:"));
        assertEquals("the JVM was asked to end, or the shell's loop, after a wrong argument", null,
                calls.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    public void helpGivesTheUsageAndNothingEnds() throws InterruptedException {
        assertEquals(ExitCommand.USAGE, command.exit("--help"));
        assertEquals(ExitCommand.USAGE, command.exit("-h"));
        assertEquals(null, calls.poll(200, TimeUnit.MILLISECONDS));
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }
}
