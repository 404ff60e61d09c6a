package org.devrt.benchmarks.endurance;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Every error a client saw during the mixed load, grouped by client, exception class and message (digits folded,
 * so that file numbers and sequence numbers do not split a group), each group judged clear or unclear.
 *
 * <p>Clear: the exception is one devrt names for a removal ({@code DeviceGoneException},
 * {@code HandleRevokedException}), or its message, or a cause's, names the device or the reason: a device or
 * interface name, a device id or PCI address (outside a path: a path names what was asked for, not why it failed),
 * or a word such as "removed", "gone", "went away", "unplugged", "uninstalled", "not mounted", "unreachable". Unclear: anything else, e.g. a NullPointerException, a
 * ClosedChannelException without a cause, a raw message that says neither what nor why.
 */
final class ClientErrors {
    private static final List<String> CLEAR_CLASSES = List.of("DeviceGoneException", "HandleRevokedException");
    private static final Pattern CLEAR_MESSAGE = Pattern.compile("(?i).*(\\bsd[a-z]\\d*\\b|\\beth\\d+\\b|emulated/"
            + "|\\b\\d{2}:\\d{2}\\.\\d\\b|removed|\\bgone\\b|went away|unplugged|uninstalled|detached"
            + "|not mounted|not on a mounted volume|unmounted|no such device|unreachable|no route|stopped|revoked|cannot assign).*", Pattern.DOTALL);
    /** A path names what was asked for, not why it failed: its device name does not make a message clear. */
    private static final Pattern PATH = Pattern.compile("(?<!\\w)/\\S*");
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    /** One group: how often, and whether its errors are clear. */
    record Group(String client, String type, String message, boolean clear, AtomicLong count) {
    }

    private final Map<String, Group> groups = new TreeMap<>();

    /** Records what {@code client} (e.g. "vfs writer") saw. */
    synchronized void record(String client, Throwable error) {
        record(client, error.getClass().getName(), message(error), isClear(error));
    }

    /** Records an error a client read as text (a command's output), with its own verdict. */
    synchronized void record(String client, String type, String message, boolean clear) {
        String folded = message == null ? "(no message)" : DIGITS.matcher(message).replaceAll("#");
        groups.computeIfAbsent(client + "|" + type + "|" + folded,
                k -> new Group(client, type, folded, clear, new AtomicLong())).count().incrementAndGet();
    }

    static boolean isClear(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (CLEAR_CLASSES.contains(t.getClass().getSimpleName())) {
                return true;
            }
            if (t.getMessage() != null && isClear(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    static boolean isClear(String message) {
        return CLEAR_MESSAGE.matcher(PATH.matcher(message).replaceAll("")).matches();
    }

    /** The message with the causes' classes and messages, as a reader of the client's log would see it. */
    private static String message(Throwable error) {
        StringBuilder out = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable t = error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            out.append(" <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return out.toString();
    }

    synchronized long total(boolean clear) {
        return groups.values().stream().filter(g -> g.clear() == clear).mapToLong(g -> g.count().get()).sum();
    }

    /** The groups, most frequent first within each client. */
    synchronized String text() {
        if (groups.isEmpty()) {
            return "  none\n";
        }
        StringBuilder out = new StringBuilder();
        groups.values().stream()
                .sorted((a, b) -> a.client().equals(b.client()) ? Long.compare(b.count().get(), a.count().get())
                        : a.client().compareTo(b.client()))
                .forEach(g -> out.append(String.format(Locale.ROOT, "  %-12s %6d  %-7s %s: %s%n", g.client(),
                        g.count().get(), g.clear() ? "clear" : "UNCLEAR", g.type(), g.message())));
        return out.toString();
    }
}
