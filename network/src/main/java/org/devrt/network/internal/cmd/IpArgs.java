package org.devrt.network.internal.cmd;

import java.util.List;

/** The {@code show [dev] NAME} shape that {@code ip addr} and {@code ip neigh} share. */
final class IpArgs {
    /** Returned by {@link #showTarget} for {@code help}. */
    static final String HELP = "\0help";
    private static final List<String> SHOW = List.of("show", "list", "lst", "sh", "ls");

    private IpArgs() {
    }

    /** The device to show, null for all, or {@link #HELP}; a verb other than show is a usage error. */
    static String showTarget(List<String> args, String object, String usage) {
        if (args.isEmpty()) {
            return null;
        }
        String verb = args.get(0);
        if (verb.equals("help") || verb.equals("--help") || verb.equals("-h")) {
            return HELP;
        }
        if (!SHOW.contains(verb)) {
            throw new UsageException("ip " + object + " " + verb + ": not supported; only show");
        }
        List<String> rest = args.subList(1, args.size());
        if (!rest.isEmpty() && rest.get(0).equals("dev")) {
            rest = rest.subList(1, rest.size());
            if (rest.isEmpty()) {
                throw new UsageException("ip " + object + " show dev: which device?");
            }
        }
        if (rest.size() > 1) {
            throw new UsageException("ip " + object + " show: one device at most, not " + String.join(" ", rest));
        }
        return rest.isEmpty() ? null : rest.get(0);
    }
}
