package io.tributary.broker.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.testing.MutableClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.record.MemoryRecords;
import org.junit.jupiter.api.Test;

class FetchSessionCacheTest {

    private static final Duration AGE = Duration.ofMinutes(2);
    private static final Uuid TOPIC = Uuid.randomUuid();

    private final MutableClock clock = new MutableClock();

    @Test
    void shouldHandOutDistinctNonZeroIdsAndFindTheSessionsByThem() {
        FetchSessionCache cache = new FetchSessionCache(10, AGE, clock);

        FetchSession first = cache.maybeCreate(false, partitions(1)).orElseThrow();
        FetchSession second = cache.maybeCreate(false, partitions(1)).orElseThrow();

        assertThat(first.id()).isPositive().isNotEqualTo(second.id());
        assertThat(cache.get(first.id())).containsSame(first);
        assertThat(cache.size()).isEqualTo(2);
        cache.remove(first.id());
        assertThat(cache.get(first.id())).isEmpty();
    }

    @Test
    void shouldDeclineEverySessionWithNoSlots() {
        FetchSessionCache cache = new FetchSessionCache(0, AGE, clock);

        assertThat(cache.maybeCreate(true, partitions(5))).isEmpty();
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedSessionOnceItIsStale() {
        FetchSessionCache cache = new FetchSessionCache(2, AGE, clock);
        FetchSession older = cache.maybeCreate(false, partitions(3)).orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        FetchSession used = cache.maybeCreate(false, partitions(3)).orElseThrow();

        assertThat(cache.maybeCreate(false, partitions(1))).isEmpty();

        clock.advance(AGE);
        cache.get(used.id());
        Optional<FetchSession> created = cache.maybeCreate(false, partitions(1));

        assertThat(created).isPresent();
        assertThat(cache.get(older.id())).isEmpty();
        assertThat(cache.get(used.id())).isPresent();
        assertThat(cache.evictions()).isEqualTo(1);
    }

    @Test
    void shouldEvictAConsumersSessionForAFollowersButNeverTheOtherWayRound() {
        FetchSessionCache cache = new FetchSessionCache(1, AGE, clock);
        FetchSession consumer = cache.maybeCreate(false, partitions(50)).orElseThrow();

        FetchSession follower = cache.maybeCreate(true, partitions(1)).orElseThrow();

        assertThat(cache.get(consumer.id())).isEmpty();
        assertThat(cache.maybeCreate(false, partitions(500))).isEmpty();
        assertThat(cache.get(follower.id())).isPresent();
    }

    @Test
    void shouldEvictASmallerSessionOfTheSameKindOnlyAfterItHadTimeToBeUsed() {
        FetchSessionCache cache = new FetchSessionCache(1, AGE, clock);
        FetchSession small = cache.maybeCreate(false, partitions(1)).orElseThrow();

        assertThat(cache.maybeCreate(false, partitions(10))).isEmpty();

        clock.advance(AGE.minusSeconds(1));
        cache.get(small.id()); // in use, so not stale
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.maybeCreate(false, partitions(1))).isEmpty(); // not worth more
        assertThat(cache.maybeCreate(false, partitions(10))).isPresent();
        assertThat(cache.get(small.id())).isEmpty();
    }

    @Test
    void shouldExpectEachEpochOnceAndInOrder() {
        FetchSession session = new FetchSessionCache(1, AGE, clock)
                .maybeCreate(false, partitions(1))
                .orElseThrow();

        assertThat(session.applyIncremental(2, Map.of(), List.of())).isFalse();
        assertThat(session.applyIncremental(1, Map.of(), List.of())).isTrue();
        assertThat(session.applyIncremental(1, Map.of(), List.of())).isFalse();
        assertThat(session.nextEpoch()).isEqualTo(2);
    }

    @Test
    void shouldAddUpdateAndForgetPartitionsOnAnIncrementalRequest() {
        FetchSession session = new FetchSessionCache(1, AGE, clock)
                .maybeCreate(false, partitions(2))
                .orElseThrow();

        session.applyIncremental(1, Map.of(key(1), at(7), key(5), at(3)), List.of(key(0)));

        assertThat(session.partitions())
                .extracting(e -> e.getKey().partition(), e -> e.getValue().fetchOffset())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 7L), org.assertj.core.groups.Tuple.tuple(5, 3L));
    }

    @Test
    void shouldSendAPartitionOnlyWhenSomethingChangedAndMoveOneWithDataToTheBack() {
        FetchSession session = new FetchSessionCache(1, AGE, clock)
                .maybeCreate(false, partitions(2))
                .orElseThrow();
        assertThat(session.update(key(0), answer(5, 0, MemoryRecords.EMPTY))).contains(true);
        assertThat(session.update(key(1), answer(5, 0, MemoryRecords.EMPTY))).contains(true);

        assertThat(session.update(key(0), answer(5, 0, MemoryRecords.EMPTY))).contains(false);
        assertThat(session.update(key(0), answer(6, 0, MemoryRecords.EMPTY))).contains(true);
        assertThat(session.update(key(0), answer(6, 2, MemoryRecords.EMPTY))).contains(true);
        assertThat(session.update(key(0), answer(6, 2, MemoryRecords.EMPTY).setErrorCode((short) 6)))
                .contains(true);
        assertThat(session.update(key(1), answer(5, 0, io.tributary.broker.testing.TestRecords.batch("a"))))
                .contains(true);
        assertThat(session.update(key(9), answer(5, 0, MemoryRecords.EMPTY))).isEmpty();
        assertThat(session.partitions()).extracting(e -> e.getKey().partition()).containsExactly(0, 1);
        session.update(key(0), answer(6, 2, io.tributary.broker.testing.TestRecords.batch("b")));
        assertThat(session.partitions()).extracting(e -> e.getKey().partition()).containsExactly(1, 0);
    }

    private static Map<FetchSession.Key, FetchPartition> partitions(int count) {
        Map<FetchSession.Key, FetchPartition> partitions = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            partitions.put(key(i), at(0));
        }
        return partitions;
    }

    private static FetchSession.Key key(int partition) {
        return new FetchSession.Key(TOPIC, "", partition);
    }

    private static FetchPartition at(long offset) {
        return new FetchPartition().setFetchOffset(offset).setPartitionMaxBytes(1024);
    }

    private static PartitionData answer(long highWatermark, long logStartOffset, MemoryRecords records) {
        return new PartitionData()
                .setHighWatermark(highWatermark)
                .setLastStableOffset(highWatermark)
                .setLogStartOffset(logStartOffset)
                .setRecords(records);
    }
}
