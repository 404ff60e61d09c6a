package org.devrt.registry.shell;

import java.io.PrintStream;

import org.apache.felix.service.command.Process;

/**
 * Where a devrt command's text goes. devrt's commands return their text, and Gogo shows the value of a line's last
 * command on the terminal, whatever the line redirected: {@code lspci > pci.txt} printed on the terminal and left
 * the file empty. So a command passes its text through {@link #of}, which writes it to the command's standard output
 * when that is not the terminal (a file of a redirection, or a pipe to the next command) and returns it otherwise.
 */
public final class CommandOutput {
    private CommandOutput() {
    }

    /**
     * What a command returns for {@code text}: the text itself when the command runs outside a Gogo pipe (a direct
     * call, a test) or its standard output is the session's own (Gogo prints it, and a script can use the value, as
     * {@code echo (devrt:ready)} does); else null, once the text is written there, ending with one newline as a
     * Unix command's output does (Gogo's {@code println} of a value would add a second to text that has one).
     */
    public static String of(String text) {
        Process process = Process.Utils.current();
        if (text == null || process == null || process.isTty(1)) {
            return text;
        }
        PrintStream out = process.out();
        out.print(text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
        out.flush();
        return null;
    }
}
