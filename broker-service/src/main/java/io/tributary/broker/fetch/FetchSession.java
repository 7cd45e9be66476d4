package io.tributary.broker.fetch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * One client's fetch session: the partitions it fetches (in the order they are read, those that
 * last returned data moved to the back so that a response's {@code max.bytes} does not starve the
 * rest) with each one's last request and the high watermark, last stable offset and log start
 * offset it was last told, and the epoch its next incremental request must carry.
 *
 * <p>Thread-safety: every method synchronizes on the session; a client sends one request of a
 * session at a time, but its requests may be handled on different threads.
 */
public final class FetchSession {

    /** A partition of a session, as the requests name it: by topic id (v13+) or by name. */
    public record Key(Uuid topicId, String topic, int partition) {

        public Key {
            topic = topic == null ? "" : topic;
        }
    }

    /** What the session remembers of one partition. */
    private static final class CachedPartition {
        private FetchRequestData.FetchPartition request;
        private long highWatermark = -1;
        private long lastStableOffset = -1;
        private long logStartOffset = -1;

        CachedPartition(FetchRequestData.FetchPartition request) {
            this.request = request;
        }

        /** Remembers the answer; true when it must be sent (data, an error or a moved bound). */
        boolean update(FetchResponseData.PartitionData answer) {
            boolean mustSend = answer.errorCode() != 0
                    || (answer.records() != null && answer.records().sizeInBytes() > 0)
                    || answer.divergingEpoch().epoch() >= 0
                    || answer.highWatermark() != highWatermark
                    || answer.lastStableOffset() != lastStableOffset
                    || answer.logStartOffset() != logStartOffset;
            highWatermark = answer.highWatermark();
            lastStableOffset = answer.lastStableOffset();
            logStartOffset = answer.logStartOffset();
            return mustSend;
        }
    }

    private final int id;
    private final boolean privileged;
    private final long creationMs;
    private final LinkedHashMap<Key, CachedPartition> partitions = new LinkedHashMap<>();
    private int nextEpoch = FetchMetadata.nextEpoch(FetchMetadata.INITIAL_EPOCH);
    private long lastUsedMs;

    FetchSession(int id, boolean privileged, long nowMs, Map<Key, FetchRequestData.FetchPartition> requested) {
        this.id = id;
        this.privileged = privileged;
        this.creationMs = nowMs;
        this.lastUsedMs = nowMs;
        requested.forEach((key, request) -> partitions.put(key, new CachedPartition(request)));
    }

    public int id() {
        return id;
    }

    /** A follower's session, which a consumer's never evicts. */
    public boolean privileged() {
        return privileged;
    }

    public synchronized int size() {
        return partitions.size();
    }

    synchronized long lastUsedMs() {
        return lastUsedMs;
    }

    long creationMs() {
        return creationMs;
    }

    synchronized void touch(long nowMs) {
        lastUsedMs = nowMs;
    }

    /** The epoch the next incremental request must carry. */
    public synchronized int nextEpoch() {
        return nextEpoch;
    }

    /**
     * Applies an incremental request carrying {@code epoch}: adds or updates the partitions it
     * names, drops the forgotten ones, and moves the expected epoch on.
     *
     * @return false (and nothing changed) when {@code epoch} is not the one expected
     */
    public synchronized boolean applyIncremental(
            int epoch, Map<Key, FetchRequestData.FetchPartition> updated, List<Key> forgotten) {
        if (epoch != nextEpoch) {
            return false;
        }
        forgotten.forEach(partitions::remove);
        updated.forEach((key, request) -> {
            CachedPartition cached = partitions.get(key);
            if (cached == null) {
                partitions.put(key, new CachedPartition(request));
            } else {
                cached.request = request;
            }
        });
        nextEpoch = FetchMetadata.nextEpoch(nextEpoch);
        return true;
    }

    /** Every partition of the session with its latest request, in read order. */
    public synchronized List<Map.Entry<Key, FetchRequestData.FetchPartition>> partitions() {
        List<Map.Entry<Key, FetchRequestData.FetchPartition>> all = new ArrayList<>(partitions.size());
        partitions.forEach((key, cached) -> all.add(Map.entry(key, cached.request)));
        return all;
    }

    /**
     * Remembers the state a response tells the client of {@code key}.
     *
     * @return whether an incremental response must carry it; empty when the partition is not in
     *     the session
     */
    public synchronized Optional<Boolean> update(Key key, FetchResponseData.PartitionData answer) {
        CachedPartition cached = partitions.get(key);
        if (cached == null) {
            return Optional.empty();
        }
        boolean mustSend = cached.update(answer);
        if (answer.records() != null && answer.records().sizeInBytes() > 0) {
            // to the back: the next read starts with the partitions that got nothing this time
            partitions.remove(key);
            partitions.put(key, cached);
        }
        return Optional.of(mustSend);
    }

    @Override
    public synchronized String toString() {
        return "FetchSession(id=" + id + ", privileged=" + privileged + ", partitions=" + partitions.size()
                + ", nextEpoch=" + nextEpoch + ")";
    }
}
