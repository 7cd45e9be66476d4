package io.tributary.storage.log.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {

    @TempDir
    Path tmp;

    private TimeIndex index(int maxSize) throws IOException {
        return new TimeIndex(tmp.resolve("00000000000000000100.timeindex").toFile(), 100, maxSize);
    }

    @Test
    void shouldLookUpTheLargestEntryAtOrBelowATimestamp() throws IOException {
        TimeIndex index = index(1200);
        index.maybeAppend(1000, 105, false);
        index.maybeAppend(2000, 110, false);
        index.maybeAppend(3000, 130, false);

        assertThat(index.lookup(999)).isEqualTo(new TimestampOffset(RecordBatch.NO_TIMESTAMP, 100));
        assertThat(index.lookup(1000)).isEqualTo(new TimestampOffset(1000, 105));
        assertThat(index.lookup(2500)).isEqualTo(new TimestampOffset(2000, 110));
        assertThat(index.lookup(9999)).isEqualTo(new TimestampOffset(3000, 130));
        index.close();
    }

    @Test
    void shouldSkipEntriesWhoseTimestampDoesNotGrow() throws IOException {
        TimeIndex index = index(1200);
        index.maybeAppend(1000, 105, false);
        index.maybeAppend(1000, 110, false);
        index.maybeAppend(900, 120, false);

        assertThat(index.entries()).isEqualTo(1);
        index.close();
    }

    @Test
    void shouldReserveTheLastSlotForTheRollEntry() throws IOException {
        TimeIndex index = index(36);
        index.maybeAppend(1000, 101, false);
        index.maybeAppend(2000, 102, false);

        assertThat(index.isFull()).isTrue();
        index.maybeAppend(3000, 103, true);
        assertThat(index.entries()).isEqualTo(3);
        index.close();
    }

    @Test
    void shouldTruncateEntriesAtOrAboveAnOffsetAndSurviveReopen() throws IOException {
        TimeIndex index = index(1200);
        index.maybeAppend(1000, 105, false);
        index.maybeAppend(2000, 110, false);
        index.truncateTo(110);
        index.close();

        TimeIndex reopened = index(1200);
        assertThat(reopened.entries()).isEqualTo(1);
        assertThat(reopened.lastEntry()).isEqualTo(new TimestampOffset(1000, 105));
        reopened.sanityCheck();
        reopened.close();
    }
}
