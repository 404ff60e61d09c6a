package org.devrt.network.internal.cmd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A command's arguments: flags (combinable, {@code -anu}), options with a value ({@code -c 3}), operands. */
final class Options {
    final Set<Character> flags = new java.util.HashSet<>();
    final Map<String, String> values = new HashMap<>();
    final List<String> operands = new ArrayList<>();
    boolean help;

    /**
     * After {@code --} every argument is an operand ({@code udpsend 10.0.2.2 7 -- -x} sends "-x").
     *
     * @param flags single-letter flags it knows, e.g. "anus"
     * @param valued options with a value, e.g. "csiW"
     */
    static Options parse(List<String> args, String flags, String valued) {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                o.operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (a.equals("--help") || a.equals("-h") && flags.indexOf('h') < 0) {
                o.help = true;
            } else if (a.length() > 1 && a.startsWith("-") && !isNumber(a)) {
                String letter = a.substring(1, 2);
                if (valued.contains(letter)) {
                    String value = a.length() > 2 ? a.substring(2) : i + 1 < args.size() ? args.get(++i) : null;
                    if (value == null) {
                        throw new UsageException("option requires an argument -- '" + letter + "'");
                    }
                    o.values.put(letter, value);
                    continue;
                }
                for (char c : a.substring(1).toCharArray()) {
                    if (flags.indexOf(c) < 0) {
                        throw new UsageException("invalid option -- '" + c + "'");
                    }
                    o.flags.add(c);
                }
            } else {
                o.operands.add(a);
            }
        }
        return o;
    }

    boolean has(char flag) {
        return flags.contains(flag);
    }

    private static boolean isNumber(String a) {
        return a.length() > 1 && Character.isDigit(a.charAt(1));
    }
}
