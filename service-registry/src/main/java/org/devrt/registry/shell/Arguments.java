package org.devrt.registry.shell;

import java.util.Arrays;
import java.util.Objects;

/** What a command's words are once Gogo has expanded them. */
public final class Arguments {
    private Arguments() {
    }

    /**
     * The words without Gogo's nulls: an unset variable ({@code ip $x}) is a null word, which a POSIX shell drops; the
     * commands failed with a NullPointerException. Never null.
     */
    public static String[] present(String... args) {
        return args == null ? new String[0] : Arrays.stream(args).filter(Objects::nonNull).toArray(String[]::new);
    }
}
