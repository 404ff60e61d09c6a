package org.devrt.devicemanager.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A shell command's arguments: flags, options with a value, and operands. Unknown flags are an error that
 * names the flag; the command answers it with its usage.
 */
final class Args {
    /** A wrong argument; its message is shown to the user, followed by the usage. */
    static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    final Set<String> flags = new LinkedHashSet<>();
    final java.util.Map<String, String> options = new java.util.HashMap<>();
    final List<String> operands = new ArrayList<>();

    /**
     * @param flags the flags this command knows, e.g. {@code -n}, {@code -nn}, {@code --help}
     * @param valued the options that take a value, e.g. {@code -s}
     */
    static Args parse(String[] args, Set<String> flags, Set<String> valued) {
        Args a = new Args();
        for (int i = 0; args != null && i < args.length; i++) {
            String arg = args[i];
            if (arg == null) {
                continue; // Gogo's value of an unset variable ($nosuch): dropped, as by a POSIX shell
            }
            if (valued.contains(arg)) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + arg + " needs a value");
                }
                a.options.put(arg, args[++i]);
            } else if (flags.contains(arg)) {
                a.flags.add(arg);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                throw new UsageException("unknown option " + arg);
            } else {
                a.operands.add(arg);
            }
        }
        return a;
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    String operand(int i, String what) {
        if (operands.size() <= i) {
            throw new UsageException("missing " + what);
        }
        return operands.get(i);
    }
}
