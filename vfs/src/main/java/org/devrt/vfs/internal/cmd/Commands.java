package org.devrt.vfs.internal.cmd;

import java.io.IOException;
import java.nio.file.FileSystemException;

/** What every command of this package does the same way: usage on a wrong line, one-line errors, no stack trace. */
final class Commands {
    /** A command's body, which may fail. */
    interface Body {
        String run() throws IOException, InterruptedException;
    }

    private Commands() {
    }

    static String run(String command, String usage, Body body) {
        try {
            return body.run();
        } catch (Args.UsageException | IllegalArgumentException e) {
            return command + ": " + e.getMessage() + "\n" + usage;
        } catch (FileSystemException e) {
            String reason = e.getReason();
            return command + ": " + e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile())
                    + ": " + (reason == null ? describe(e) : reason);
        } catch (IOException e) {
            return command + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return command + ": interrupted";
        } catch (RuntimeException e) {
            return command + ": " + e;
        }
    }

    private static String describe(FileSystemException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return switch (kind) {
            case "NoSuchFile" -> "no such file or directory";
            case "FileAlreadyExists" -> "already exists";
            case "DirectoryNotEmpty" -> "directory not empty";
            case "NotDirectory" -> "not a directory";
            case "AccessDenied" -> "access denied";
            default -> kind;
        };
    }
}
