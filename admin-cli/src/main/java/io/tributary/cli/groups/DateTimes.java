package io.tributary.cli.groups;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses {@code --to-datetime}: ISO-8601 with an offset or {@code Z}
 * ({@code 2026-11-24T08:00:00Z}, {@code 2026-11-24T09:00:00.500+01:00}), a local date-time in the
 * given zone ({@code 2026-11-24T08:00:00}, also with a space for the {@code T}), a local date (its
 * start), or epoch milliseconds.
 *
 * <p>Stateless and thread-safe.
 */
public final class DateTimes {

    private DateTimes() {}

    /** Epoch milliseconds of {@code text}; a value without an offset is read in {@code zone}. */
    public static long parseEpochMillis(String text, ZoneId zone) {
        String value = text.strip();
        if (value.matches("\\d{9,}")) {
            return Long.parseLong(value);
        }
        String iso = value.length() > 10 && value.charAt(10) == ' '
                ? value.substring(0, 10) + 'T' + value.substring(11)
                : value;
        try {
            return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // not with an offset
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // not an instant
        }
        try {
            return LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                    .atZone(zone)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE)
                    .atStartOfDay(zone)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a date-time (examples: 2026-11-24T08:00:00Z, "
                    + "2026-11-24T09:00:00+01:00, 2026-11-24T08:00:00 in the local zone, 2026-11-24, epoch millis)");
        }
    }
}
