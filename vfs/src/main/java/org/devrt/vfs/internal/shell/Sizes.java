package org.devrt.vfs.internal.shell;

/** Sizes for people, as util-linux's lsblk prints them: binary units, one decimal, dropped when it is zero. */
final class Sizes {
    private static final String UNITS = "BKMGTPE";

    private Sizes() {
    }

    /** E.g. {@code 512B}, {@code 64M}, {@code 1.5G}, {@code 465.8G}. */
    static String human(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("size " + bytes + " is negative");
        }
        int exp = 0;
        while (exp < 60 && bytes >= 1L << (exp + 10)) {
            exp += 10;
        }
        long whole = bytes >>> exp;
        long rest = exp == 0 ? 0 : bytes & ((1L << exp) - 1);
        // thousandths of the unit, then rounded to tenths (frac * 1000 cannot overflow: shift first when large)
        long thousandths = exp > 50 ? ((rest >>> 10) * 1000) >>> (exp - 10) : (rest * 1000) >>> exp;
        long tenths = (thousandths + 50) / 100;
        if (tenths == 10) {
            whole++;
            tenths = 0;
        }
        char unit = UNITS.charAt(exp / 10);
        return tenths == 0 ? whole + String.valueOf(unit) : whole + "." + tenths + unit;
    }
}
