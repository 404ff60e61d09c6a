package org.devrt.emulator.internal.model;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The options a function was plugged with, e.g. {@code vendor=0x8086 bar0size=128k}. Numbers are decimal or
 * {@code 0x} hex, with an optional {@code k}, {@code M} or {@code G} (binary) suffix. Every problem is an
 * {@link IllegalArgumentException} that names the model, the option and the value.
 */
public final class ModelOptions {
    private final String model;
    private final Map<String, String> values;

    private ModelOptions(String model, Map<String, String> values) {
        this.model = model;
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * The options for {@code model}, refusing a name not in {@code known}.
     *
     * @throws IllegalArgumentException for an unknown option name
     */
    public static ModelOptions of(String model, Map<String, String> values, Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                String choices = known.isEmpty() ? "it takes none"
                        : "options: " + String.join(", ", new TreeSet<>(known));
                throw new IllegalArgumentException(
                        "unknown option '" + key + "' for model " + model + " (" + choices + ")");
            }
        }
        return new ModelOptions(model, values);
    }

    /** The options as given, sorted by name. */
    public Map<String, String> asMap() {
        return values;
    }

    /** The value of {@code key}, or {@code fallback}. */
    public String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** A number in {@code min..max}, or {@code fallback} when the option is absent. */
    public long number(String key, long fallback, long min, long max) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        long value;
        boolean hex = text.trim().toLowerCase(Locale.ROOT).startsWith("0x");
        try {
            value = parseNumber(text.trim());
        } catch (TooLarge e) {
            throw invalid(key, "too large (at most " + shown(max, hex) + ")");
        } catch (NumberFormatException e) {
            throw invalid(key, "not a number (want decimal, 0x hex, or a size such as 4k, 256m, 2g, 1t)");
        }
        if (value < min || value > max) {
            throw invalid(key, "must be from " + shown(min, hex) + " to " + shown(max, hex));
        }
        return value;
    }

    /**
     * A number as one would type it: with the largest of k, m, g, t that divides it (a size: 1m, not 0x100000),
     * else in hex if the value refused was given in hex (an id: 0xfffe), else in decimal (a delay: 60000).
     */
    static String shown(long n, boolean hex) {
        for (int u = SIZE_UNITS.length() - 1; u >= 0; u--) {
            int shift = 10 * (u + 1);
            if (n != 0 && Long.numberOfTrailingZeros(n) >= shift) {
                return (n >> shift) + SIZE_UNITS.substring(u, u + 1);
            }
        }
        return hex ? "0x" + Long.toHexString(n) : Long.toString(n);
    }

    /** {@code true} or {@code false}, or {@code fallback} when absent. */
    public boolean flag(String key, boolean fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw invalid(key, "want true or false");
        };
    }

    /** The error for a bad value of {@code key}: {@code option bar0size=100 of model generic: <problem>}. */
    public IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(
                "option " + key + "=" + values.get(key) + " of model " + model + ": " + problem);
    }

    /** Size suffixes, each 1024 times the one before: k is 2^10, t 2^40. */
    private static final String SIZE_UNITS = "kmgt";

    /** {@link #parseNumber}'s exception for digits that do not fit in 63 bits. */
    static final class TooLarge extends NumberFormatException {
        TooLarge(String text) {
            super(text + ": too large");
        }
    }

    /** Decimal, 0x hex, or decimal with k, m, g or t (powers of 1024); throws NumberFormatException. */
    static long parseNumber(String text) {
        int shift = 0;
        String digits = text;
        char last = text.isEmpty() ? ' ' : Character.toLowerCase(text.charAt(text.length() - 1));
        int unit = SIZE_UNITS.indexOf(last);
        if (!text.startsWith("0x") && unit >= 0) {
            shift = 10 * (unit + 1);
            digits = text.substring(0, text.length() - 1);
        }
        boolean hex = digits.startsWith("0x") || digits.startsWith("0X");
        String body = hex ? digits.substring(2) : digits;
        long value;
        try {
            value = Long.parseLong(body, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            boolean allDigits = !body.isEmpty() && body.chars().allMatch(c -> Character.digit(c, hex ? 16 : 10) >= 0);
            throw allDigits ? new TooLarge(text) : new NumberFormatException(text);
        }
        if (value < 0) {
            throw new NumberFormatException(text);
        }
        if (Long.numberOfLeadingZeros(value) <= shift) {
            throw new TooLarge(text);
        }
        return value << shift;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return out.toString();
    }
}
