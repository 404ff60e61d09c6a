package org.devrt.vfs.internal.fat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * 8.3 names: the basis-name algorithm and numeric tails of the FAT specification (section 7.2), as Windows and
 * Linux apply it, the NT lower-case flags, and how a stored 11-byte name is shown.
 *
 * <p>A name that is already a valid 8.3 name in one case per part ({@code README.TXT}, {@code readme.txt},
 * {@code README.txt}) is stored as a short entry alone, the case in DIR_NTRes; any other name gets long-name
 * entries and a generated alias: upper case, spaces and periods removed, at most 8 characters of what comes before
 * the last period and 3 of what follows it, characters DOS does not allow as {@code _} (as Windows and Linux do:
 * {@code x.tar.gz} is {@code XTAR~1.GZ}, where the specification's wording gives {@code X~1.GZ}); then {@code ~1} to
 * {@code ~4} and, past those, two characters, four hex digits of a hash of the long name and {@code ~n} (the
 * Windows scheme, which keeps creating many similar names fast).
 */
final class ShortNames {
    private static final String SPECIAL = "$%'-_@~`!(){}^#&";
    private static final Charset OEM = oem();

    /** What a long name needs on the medium before collisions are considered. */
    record Plan(byte[] basis, boolean exact, int ntRes, boolean needsLongName) {
    }

    private ShortNames() {
    }

    /**
     * Why {@code name} cannot be a FAT long name, or null if it can.
     */
    static String invalidReason(String name) {
        if (name.isEmpty()) {
            return "the name is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' is reserved";
        }
        if (name.length() > LongNames.MAX_LENGTH) {
            return "the name has " + name.length() + " characters; FAT allows " + LongNames.MAX_LENGTH;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || "\"*/:<>?\\|".indexOf(c) >= 0) {
                return String.format("the name has a character FAT does not allow: %s",
                        c < 0x20 ? String.format("U+%04X", (int) c) : "'" + c + "'");
            }
        }
        char last = name.charAt(name.length() - 1);
        if (last == '.' || last == ' ') {
            return "the name ends with " + (last == '.' ? "a period" : "a space") + ", which FAT drops";
        }
        return null;
    }

    static Plan plan(String name) {
        Plan exact = exact83(name);
        return exact != null ? exact : new Plan(basis(name), false, 0, true);
    }

    /** The 11 bytes to store: the basis if free and exact, else the first free alias with a tail. */
    static byte[] choose(String name, Plan plan, Set<String> inUse) {
        if (plan.exact() && !inUse.contains(key(plan.basis()))) {
            return plan.basis();
        }
        for (int n = 1; n <= 4; n++) {
            byte[] c = withTail(plan.basis(), n);
            if (!inUse.contains(key(c))) {
                return c;
            }
        }
        byte[] hashed = plan.basis().clone();
        String hex = String.format("%04X", hash(name));
        int keep = Math.min(2, primaryLength(hashed));
        for (int i = 0; i < 4; i++) {
            hashed[keep + i] = (byte) hex.charAt(i);
        }
        for (int i = keep + 4; i < 8; i++) {
            hashed[i] = ' ';
        }
        for (int n = 1;; n++) { // a directory has at most 65536 entries: this ends
            byte[] c = withTail(hashed, n);
            if (!inUse.contains(key(c))) {
                return c;
            }
        }
    }

    /** {@code basis} with {@code ~n} at the end of its primary part, shortened to fit. */
    static byte[] withTail(byte[] basis, int n) {
        String tail = "~" + n;
        int keep = Math.min(primaryLength(basis), 8 - tail.length());
        byte[] out = basis.clone();
        for (int i = 0; i < tail.length(); i++) {
            out[keep + i] = (byte) tail.charAt(i);
        }
        for (int i = keep + tail.length(); i < 8; i++) {
            out[i] = ' ';
        }
        return out;
    }

    /** The set key of a stored name. */
    static String key(byte[] name11) {
        return new String(name11, StandardCharsets.ISO_8859_1);
    }

    /** How a stored name is shown: {@code BASE.EXT}, in lower case where DIR_NTRes says so. */
    static String display(byte[] name11, int ntRes) {
        byte[] raw = name11.clone();
        if ((raw[0] & 0xFF) == DirEntry.KANJI_E5) {
            raw[0] = (byte) 0xE5;
        }
        String base = new String(raw, 0, 8, OEM).stripTrailing();
        String ext = new String(raw, 8, 3, OEM).stripTrailing();
        if ((ntRes & DirEntry.NT_LOWER_BASE) != 0) {
            base = base.toLowerCase(Locale.ROOT);
        }
        if ((ntRes & DirEntry.NT_LOWER_EXT) != 0) {
            ext = ext.toLowerCase(Locale.ROOT);
        }
        return ext.isEmpty() ? base : base + "." + ext;
    }

    /** The plan for a name that is valid 8.3 as it stands, or null. */
    private static Plan exact83(String name) {
        int dot = name.indexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        if (base.isEmpty() || base.length() > 8 || ext.length() > 3 || ext.indexOf('.') >= 0
                || (dot >= 0 && ext.isEmpty()) || !validShort(base) || !validShort(ext)) {
            return null;
        }
        int baseCase = letterCase(base);
        int extCase = letterCase(ext);
        boolean mixed = baseCase == MIXED || extCase == MIXED;
        int nt = (baseCase == LOWER ? DirEntry.NT_LOWER_BASE : 0) | (extCase == LOWER ? DirEntry.NT_LOWER_EXT : 0);
        byte[] basis = pad(base.toUpperCase(Locale.ROOT), ext.toUpperCase(Locale.ROOT));
        return new Plan(basis, true, mixed ? 0 : nt, mixed);
    }

    private static byte[] basis(String name) {
        String s = name.toUpperCase(Locale.ROOT).replace(" ", "");
        int lead = 0;
        while (lead < s.length() && s.charAt(lead) == '.') {
            lead++;
        }
        s = s.substring(lead);
        int lastDot = s.lastIndexOf('.');
        String primary = convert((lastDot < 0 ? s : s.substring(0, lastDot)).replace(".", ""), 8);
        String ext = lastDot < 0 ? "" : convert(s.substring(lastDot + 1), 3);
        return pad(primary.isEmpty() ? "_" : primary, ext);
    }

    private static String convert(String part, int max) {
        StringBuilder out = new StringBuilder(max);
        for (int i = 0; i < part.length() && out.length() < max; i++) {
            char c = part.charAt(i);
            out.append(validShort(c) ? c : '_');
        }
        return out.toString();
    }

    /**
     * Whether each character may stand in a short name as it is, upper-cased: ASCII only, since the upper case of some
     * others is ASCII ({@code ı} is {@code I}, {@code ſ} is {@code S}), which stored {@code ımage.txt} as the short
     * name {@code IMAGE.TXT} alone, its own name lost.
     */
    private static boolean validShort(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c >= 0x80 || !validShort(Character.toUpperCase(c))) {
                return false;
            }
        }
        return true;
    }

    private static boolean validShort(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SPECIAL.indexOf(c) >= 0;
    }

    private static final int NONE = 0;
    private static final int UPPER = 1;
    private static final int LOWER = 2;
    private static final int MIXED = 3;

    private static int letterCase(String s) {
        int seen = NONE;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isUpperCase(c)) {
                seen |= UPPER;
            } else if (Character.isLowerCase(c)) {
                seen |= LOWER;
            }
        }
        return seen;
    }

    private static byte[] pad(String base, String ext) {
        byte[] out = "           ".getBytes(StandardCharsets.US_ASCII);
        byte[] b = base.getBytes(StandardCharsets.US_ASCII);
        byte[] e = ext.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, out, 0, Math.min(8, b.length));
        System.arraycopy(e, 0, out, 8, Math.min(3, e.length));
        return out;
    }

    private static int primaryLength(byte[] name11) {
        int n = 8;
        while (n > 0 && name11[n - 1] == ' ') {
            n--;
        }
        return n;
    }

    private static int hash(String name) {
        int h = 0;
        for (int i = 0; i < name.length(); i++) {
            h = h * 37 + name.charAt(i);
            h ^= h >>> 16;
        }
        return h & 0xFFFF;
    }

    private static Charset oem() {
        try {
            return Charset.forName("IBM437");
        } catch (IllegalArgumentException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
