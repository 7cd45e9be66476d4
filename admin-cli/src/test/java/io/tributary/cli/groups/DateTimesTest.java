package io.tributary.cli.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DateTimesTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final long EIGHT_UTC = Instant.parse("2026-11-24T08:00:00Z").toEpochMilli();

    @Test
    void shouldReadInstantsAndOffsets() {
        assertThat(DateTimes.parseEpochMillis("2026-11-24T08:00:00Z", PARIS)).isEqualTo(EIGHT_UTC);
        assertThat(DateTimes.parseEpochMillis("2026-11-24T09:00:00+01:00", PARIS))
                .isEqualTo(EIGHT_UTC);
        assertThat(DateTimes.parseEpochMillis("2026-11-24T08:00:00.250Z", PARIS))
                .isEqualTo(EIGHT_UTC + 250);
    }

    @Test
    void shouldReadLocalTimesInTheGivenZone() {
        assertThat(DateTimes.parseEpochMillis("2026-11-24T09:00:00", PARIS)).isEqualTo(EIGHT_UTC);
        assertThat(DateTimes.parseEpochMillis("2026-11-24 09:00:00", PARIS)).isEqualTo(EIGHT_UTC);
        assertThat(DateTimes.parseEpochMillis("2026-11-24", ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-11-24T00:00:00Z").toEpochMilli());
    }

    @Test
    void shouldReadEpochMillis() {
        assertThat(DateTimes.parseEpochMillis(Long.toString(EIGHT_UTC), PARIS)).isEqualTo(EIGHT_UTC);
    }

    @Test
    void shouldExplainAnUnreadableValue() {
        assertThatThrownBy(() -> DateTimes.parseEpochMillis("yesterday", PARIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'yesterday' is not a date-time");
    }
}
