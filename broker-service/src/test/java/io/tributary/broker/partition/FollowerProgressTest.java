package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FollowerProgressTest {

    private final FollowerProgress progress = new FollowerProgress();

    @Test
    void shouldTrackEveryAssignedReplicaButTheLeaderAsUnknownAtFirst() {
        progress.reset(List.of(1, 2, 3), 1, 0);

        assertThat(progress.tracks(1)).isFalse();
        assertThat(progress.tracks(2)).isTrue();
        assertThat(progress.logEndOffset(2)).isEqualTo(-1);
        assertThat(progress.lagging(List.of(1, 2, 3), 1, 100, 1_000)).isEmpty();
    }

    @Test
    void shouldCountAFollowerCaughtUpWhenItFetchesFromTheLeadersLogEnd() {
        progress.reset(List.of(1, 2), 1, 0);

        progress.recordFetch(2, 50, 50, 5_000);

        assertThat(progress.logEndOffset(2)).isEqualTo(50);
        assertThat(progress.lagging(List.of(1, 2), 1, 5_500, 1_000)).isEmpty();
    }

    @Test
    void shouldCountAFollowerCaughtUpAsOfItsPreviousFetchWhenItReachedWhereTheLogThenEnded() {
        progress.reset(List.of(1, 2), 1, 0);
        progress.recordFetch(2, 10, 40, 2_000); // behind: not caught up since 0
        progress.recordFetch(2, 40, 60, 3_000); // has all the leader had at 2 000

        // caught up as of 2 000, not 3 000 (and not never): lagging only once 1 000 ms have passed since
        assertThat(progress.lagging(List.of(1, 2), 1, 2_999, 1_000)).isEmpty();
        assertThat(progress.lagging(List.of(1, 2), 1, 3_001, 1_000)).containsExactly(2);
    }

    @Test
    void shouldReportAFollowerThatNeverCatchesUpAsLaggingAfterTheMaxLag() {
        progress.reset(List.of(1, 2, 3), 1, 0);
        progress.recordFetch(2, 5, 100, 500);
        progress.recordFetch(2, 6, 100, 900);
        progress.recordFetch(3, 100, 100, 900);

        assertThat(progress.lagging(List.of(1, 2, 3), 1, 1_001, 1_000)).containsExactly(2);
        assertThat(progress.lagging(List.of(1, 3), 1, 1_001, 1_000)).isEmpty();
    }
}
