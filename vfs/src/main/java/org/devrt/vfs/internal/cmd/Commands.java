package org.devrt.vfs.internal.cmd;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.List;

import org.devrt.registry.shell.CommandOutput;
import org.devrt.registry.shell.ErrorText;
import org.devrt.registry.shell.Foreground;

/** What every command of this package does the same way: usage on a wrong line, one-line errors, no stack trace. */
final class Commands {
    /** A command's body, which may fail. */
    interface Body {
        String run() throws IOException, InterruptedException;
    }

    private Commands() {
    }

    /** What a command does with one operand, which may fail. */
    interface OperandBody {
        /** @return the operand's output (empty for none) */
        String run(String operand) throws IOException;
    }

    /**
     * Runs a command's body: a wrong line gives the usage, a failure one line; the text goes where the command's
     * output goes, a failure's where its errors go ({@link CommandOutput}).
     */
    static String run(String command, String usage, Body body) {
        String text;
        try {
            text = body.run();
        } catch (Args.UsageException | IllegalArgumentException e) {
            return CommandOutput.error(command + ": " + e.getMessage() + "\n" + usage);
        } catch (IOException e) {
            return CommandOutput.error(error(command, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CommandOutput.error(command + ": interrupted");
        } catch (RuntimeException e) {
            return CommandOutput.error(command + ": " + e);
        }
        return CommandOutput.of(text);
    }

    /**
     * As {@link #run(String, String, Body)}, for a command that Ctrl-C interrupts itself ({@link Foreground}: a
     * copy), registered while its body runs and not while its text is written.
     */
    static String runInterruptible(String command, String usage, Body body) {
        return run(command, usage, () -> {
            try (Foreground.Registration ctrlC = Foreground.run()) {
                return body.run();
            }
        });
    }

    /**
     * Runs {@code body} for each operand, as coreutils do: one that fails says so in its line and the others are
     * still done. In a Gogo pipe the error lines go to the command's standard error at once ({@link CommandOutput});
     * outside one, outputs and error lines come in the operands' order (an error last has no newline after it, as a
     * command's only error has none).
     */
    static String eachOperand(String command, List<String> operands, OperandBody body) {
        StringBuilder out = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        StringBuilder both = new StringBuilder();
        boolean lastFailed = false;
        for (String operand : operands) {
            String text;
            try {
                text = body.run(operand);
                out.append(text);
                lastFailed = false;
            } catch (IOException e) {
                text = error(command, e) + "\n";
                errors.append(text);
                lastFailed = true;
            }
            both.append(text);
        }
        if (lastFailed) {
            both.setLength(both.length() - 1);
        }
        return CommandOutput.of(out.toString(), errors.toString(), both.toString());
    }

    /**
     * {@code e} naming {@code path} if it names no file: "write: no space left on the volume" said not which
     * write; a {@link FileSystemException} names its own.
     */
    static IOException naming(String path, IOException e) {
        if (e instanceof FileSystemException || e.getMessage() == null) {
            return e;
        }
        FileSystemException named = new FileSystemException(path, null, e.getMessage());
        named.initCause(e);
        return named;
    }

    /** The line a command prints for a failure: {@code command: file: reason}. */
    static String error(String command, IOException e) {
        if (e instanceof FileSystemException f) {
            return command + ": " + f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile())
                    + ": " + ErrorText.reason(f);
        }
        return command + ": " + e.getMessage();
    }
}
