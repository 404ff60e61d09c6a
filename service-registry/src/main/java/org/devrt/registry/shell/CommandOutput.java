package org.devrt.registry.shell;

import java.io.PrintStream;

import org.apache.felix.service.command.Process;

/**
 * Where a devrt command's text goes. devrt's commands return their text, and Gogo prints the value of a command with
 * {@code println}: on the terminal for a line's last command, whatever the line redirected ({@code lspci > pci.txt}
 * printed on the terminal and left the file empty), and into the pipe for a command that has one after it. So a
 * command passes its text through {@link #of}: to a redirection it is written directly; to Gogo it is given without
 * its last newline, which Gogo's {@code println} puts back (the text ended in a blank line on the terminal and in a
 * pipe, and a value taken with {@code x = (lspci)} kept it; a shell's command substitution drops it too).
 */
public final class CommandOutput {
    private CommandOutput() {
    }

    /**
     * What a command returns for {@code text}. Outside a Gogo pipe (a direct call, a unit test): the text as it is.
     * When the command's standard output is a redirection (Gogo's {@code Process.isTty(1)} is false): null, once the
     * text is written there ending in one newline, as a Unix command's output does. Else (the terminal, or a pipe to
     * the next command, which Gogo also counts as the session's own): the text without one final newline, or null
     * for no text, so that Gogo prints no blank line.
     */
    public static String of(String text) {
        settle();
        Process process = Process.Utils.current();
        if (text == null || process == null) {
            return text;
        }
        if (process.isTty(1)) {
            return text.isEmpty() ? null : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        }
        print(process.out(), text);
        return null;
    }

    /**
     * What a command returns for the text of its failure (a wrong line and its usage, an error): outside a Gogo pipe
     * the text itself; else null, once the text is written to the command's standard error, which stays the
     * terminal when its output is redirected or piped, as a Unix command's errors do ({@code lspci -Z > f} left its
     * usage in f, {@code cat nofile | wc -l} counted the error line).
     */
    public static String error(String text) {
        settle();
        Process process = Process.Utils.current();
        if (text == null || process == null) {
            return text;
        }
        print(process.err(), text);
        return null;
    }

    /**
     * What a command returns that did several things, some of which failed ({@code cat a nope b}): in a Gogo pipe
     * the failures' lines go to standard error ({@link #error}) and the output goes as {@link #of} sends it;
     * outside one, {@code inOrder} is the value: output and failures as they came.
     *
     * @param output what the command printed for the things that were done
     * @param errors the failures' lines, empty if there were none
     * @param inOrder both, in the order they came
     */
    public static String of(String output, String errors, String inOrder) {
        if (!errors.isEmpty() && error(errors) != null) {
            return inOrder; // not in a Gogo pipe: nothing was written
        }
        return of(output);
    }

    /**
     * Clears the interrupt that may have ended the command (Ctrl-C), before its text is written: Gogo's streams are
     * interruptible channels, which close for good when an interrupted thread writes to them, and with them the
     * terminal's output: after a Ctrl-C of a copy, the shell showed nothing more, not even what was typed.
     * Every devrt command ends here; the interrupt has done its work by then.
     */
    private static void settle() {
        Thread.interrupted();
    }

    private static void print(PrintStream stream, String text) {
        stream.print(text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
        stream.flush();
    }
}
