package org.devrt.vfs.internal.fat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * FAT's timestamps: a date (bits 15-9 year since 1980, 8-5 month, 4-0 day) and a time (15-11 hours, 10-5
 * minutes, 4-0 seconds / 2), in local time, plus for creation a count of 10 ms units (0-199). Values outside
 * 1980-2107 are clamped; damaged fields on the medium decode to the nearest valid value rather than fail.
 */
final class DosTime {
    static final LocalDateTime EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);
    static final LocalDateTime LAST = LocalDateTime.of(2107, 12, 31, 23, 59, 58);

    private DosTime() {
    }

    static int date(LocalDateTime t) {
        LocalDateTime c = clamp(t);
        return (c.getYear() - 1980) << 9 | c.getMonthValue() << 5 | c.getDayOfMonth();
    }

    static int time(LocalDateTime t) {
        LocalDateTime c = clamp(t);
        return c.getHour() << 11 | c.getMinute() << 5 | c.getSecond() / 2;
    }

    /** Tens of milliseconds past the even second of {@link #time}: 0-199. */
    static int tenths(LocalDateTime t) {
        LocalDateTime c = clamp(t);
        return (c.getSecond() % 2) * 100 + c.getNano() / 10_000_000;
    }

    static LocalDateTime decode(int date, int time, int tenths) {
        int year = 1980 + ((date >> 9) & 0x7F);
        int month = clamp((date >> 5) & 0xF, 1, 12);
        int day = clamp(date & 0x1F, 1, LocalDate.of(year, month, 1).lengthOfMonth());
        int hour = clamp((time >> 11) & 0x1F, 0, 23);
        int minute = clamp((time >> 5) & 0x3F, 0, 59);
        int second = clamp((time & 0x1F) * 2 + Math.min(tenths, 199) / 100, 0, 59);
        int nanos = (Math.min(tenths, 199) % 100) * 10_000_000;
        return LocalDateTime.of(LocalDate.of(year, month, day), LocalTime.of(hour, minute, second, nanos));
    }

    private static LocalDateTime clamp(LocalDateTime t) {
        return t.isBefore(EPOCH) ? EPOCH : t.isAfter(LAST) ? LAST : t;
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }
}
