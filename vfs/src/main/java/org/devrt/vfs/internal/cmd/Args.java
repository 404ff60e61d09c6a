package org.devrt.vfs.internal.cmd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A command line: flags, options with a value, and operands; anything else is a {@link UsageException}. */
final class Args {
    final Set<String> flags;
    final Map<String, String> options;
    final List<String> operands;

    /** A wrong command line, said in one line. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private Args(Set<String> flags, Map<String, String> options, List<String> operands) {
        this.flags = flags;
        this.options = options;
        this.operands = operands;
    }

    /**
     * A null argument (Gogo's value of an unset variable: {@code rm -r $nosuch}) is left out, as a POSIX shell drops
     * the word of an unset variable; it failed with a NullPointerException.
     *
     * @param known flags that take no value (e.g. {@code -l})
     * @param valued options that take the next argument as their value (e.g. {@code -n})
     */
    static Args parse(String[] args, Set<String> known, Set<String> valued) {
        Set<String> flags = new java.util.HashSet<>();
        Map<String, String> options = new HashMap<>();
        List<String> operands = new ArrayList<>();
        boolean onlyOperands = false;
        for (int i = 0; args != null && i < args.length; i++) {
            String a = args[i];
            if (a == null) {
                continue;
            }
            if (onlyOperands || !a.startsWith("-") || a.equals("-")) {
                operands.add(a);
            } else if (a.equals("--")) {
                onlyOperands = true;
            } else if (known.contains(a)) {
                flags.add(a);
            } else if (valued.contains(a)) {
                if (i + 1 == args.length) {
                    throw new UsageException("option " + a + " needs a value");
                }
                options.put(a, args[++i]);
            } else {
                throw new UsageException("unknown option " + a);
            }
        }
        return new Args(flags, options, operands);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    /** {@code --help}, or {@code -h} where the command has no {@code -h} of its own. */
    boolean wantsHelp() {
        return flags.contains("--help") || flags.contains("-h");
    }

    /** Checks the operand count: {@code min} to {@code max}. */
    Args operands(int min, int max, String what) {
        if (operands.size() < min) {
            throw new UsageException("missing " + what);
        }
        if (operands.size() > max) {
            throw new UsageException("unexpected argument '" + operands.get(max) + "'");
        }
        return this;
    }
}
