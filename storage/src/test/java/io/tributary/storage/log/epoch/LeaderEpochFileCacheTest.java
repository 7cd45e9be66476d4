package io.tributary.storage.log.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderEpochFileCacheTest {

    @TempDir
    Path tmp;

    private LeaderEpochFileCache cache() throws IOException {
        return new LeaderEpochFileCache("orders-0", tmp.resolve("leader-epoch-checkpoint"));
    }

    @Test
    void shouldAnswerEndOffsetsWithKafkaSemantics() throws IOException {
        LeaderEpochFileCache cache = cache();
        cache.assign(2, 10);
        cache.assign(4, 25);
        cache.assign(7, 40);

        assertThat(cache.endOffsetFor(7, 55)).isEqualTo(new EpochEndOffset(7, 55));
        assertThat(cache.endOffsetFor(4, 55)).isEqualTo(new EpochEndOffset(4, 40));
        assertThat(cache.endOffsetFor(5, 55)).isEqualTo(new EpochEndOffset(4, 40));
        assertThat(cache.endOffsetFor(1, 55)).isEqualTo(new EpochEndOffset(1, 10));
        assertThat(cache.endOffsetFor(8, 55)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.endOffsetFor(-1, 55)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.epochForOffset(30)).hasValue(4);
        assertThat(cache.latestEpoch()).hasValue(7);
    }

    @Test
    void shouldIgnoreARepeatedEpochAndReplaceConflictingEntries() throws IOException {
        LeaderEpochFileCache cache = cache();
        cache.assign(2, 10);
        cache.assign(2, 20);
        cache.assign(3, 30);

        cache.assign(3, 15);

        assertThat(cache.epochEntries()).containsExactly(new EpochEntry(2, 10), new EpochEntry(3, 15));
    }

    @Test
    void shouldTruncateFromEndAndStart() throws IOException {
        LeaderEpochFileCache cache = cache();
        cache.assign(1, 0);
        cache.assign(2, 10);
        cache.assign(3, 20);

        cache.truncateFromEnd(20);
        assertThat(cache.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 10));
        cache.truncateFromStart(15);
        assertThat(cache.epochEntries()).containsExactly(new EpochEntry(2, 15));
        // moving the start is written lazily (the log trims again on load)
        assertThat(cache().epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 10));
        cache.flushIfDirty();
        assertThat(cache().epochEntries()).containsExactly(new EpochEntry(2, 15));
    }

    @Test
    void shouldPersistInKafkasCheckpointFormat() throws IOException {
        LeaderEpochFileCache cache = cache();
        cache.assign(1, 0);
        cache.assign(5, 100);

        assertThat(Files.readAllLines(tmp.resolve("leader-epoch-checkpoint")))
                .containsExactly("0", "2", "1 0", "5 100");
        assertThat(cache().epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(5, 100));
        cache.clearAndFlush();
        assertThat(cache().epochEntries()).isEmpty();
    }
}
