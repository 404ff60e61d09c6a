package org.devrt.network.internal.cmd;

/** A wrong argument: the command answers with this message and its usage. */
final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
