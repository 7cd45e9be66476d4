package io.tributary.broker.fetch;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * The leader's fetch sessions (KIP-227), at most {@code max.incremental.fetch.session.cache.slots}
 * of them. A full fetch at epoch 0 asks for a session; when every slot is taken, one is evicted
 * for it only if it is stale (unused for the eviction age, Kafka's
 * {@code min.incremental.fetch.session.eviction.ms}) or worth less than the new one: a follower's
 * session is worth more than any consumer's, and among sessions of one kind a larger one is
 * worth more (it saves more per incremental fetch). Otherwise the fetch is answered without a
 * session ({@code sessionId} 0) and the client keeps sending full fetches.
 *
 * <p>Thread-safety: the cache's methods synchronize on it; a session synchronizes on itself.
 */
public final class FetchSessionCache {

    /** Kafka's {@code min.incremental.fetch.session.eviction.ms} default. */
    public static final Duration DEFAULT_EVICTION_AGE = Duration.ofMinutes(2);

    private final int maxSessions;
    private final long evictionAgeMs;
    private final Clock clock;
    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    private long evictions;

    public FetchSessionCache(int maxSessions, Duration evictionAge, Clock clock) {
        if (maxSessions < 0) {
            throw new IllegalArgumentException(
                    "max.incremental.fetch.session.cache.slots must be >= 0: " + maxSessions);
        }
        this.maxSessions = maxSessions;
        this.evictionAgeMs = evictionAge.toMillis();
        this.clock = clock;
    }

    /**
     * A new session over {@code partitions}, evicting another one if it must and may; empty when
     * there is no room for it.
     */
    public synchronized Optional<FetchSession> maybeCreate(
            boolean privileged, Map<FetchSession.Key, FetchRequestData.FetchPartition> partitions) {
        long now = clock.millis();
        if (sessions.size() >= maxSessions && !evictFor(privileged, partitions.size(), now)) {
            return Optional.empty();
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id) || id == FetchMetadata.INVALID_SESSION_ID);
        FetchSession session = new FetchSession(id, privileged, now, partitions);
        sessions.put(id, session);
        return Optional.of(session);
    }

    /** The session, marked as used now; empty when there is none (never created, or evicted). */
    public synchronized Optional<FetchSession> get(int sessionId) {
        FetchSession session = sessions.get(sessionId);
        if (session != null) {
            session.touch(clock.millis());
        }
        return Optional.ofNullable(session);
    }

    /** Closes a session (a full or final fetch that names it). */
    public synchronized void remove(int sessionId) {
        sessions.remove(sessionId);
    }

    /** The sessions now, in no particular order (for monitoring and tests). */
    public synchronized java.util.List<FetchSession> sessions() {
        return java.util.List.copyOf(sessions.values());
    }

    public synchronized int size() {
        return sessions.size();
    }

    /** How many sessions were evicted to make room, since start. */
    public synchronized long evictions() {
        return evictions;
    }

    private boolean evictFor(boolean privileged, int size, long now) {
        if (sessions.isEmpty()) {
            return false; // no slots at all
        }
        FetchSession oldest = sessions.values().stream()
                .min(Comparator.comparingLong(FetchSession::lastUsedMs))
                .orElseThrow();
        if (now - oldest.lastUsedMs() >= evictionAgeMs) {
            return evict(oldest);
        }
        // the least valuable session: consumers before followers, then the smallest, then the least used
        FetchSession cheapest = sessions.values().stream()
                .min(Comparator.comparing(FetchSession::privileged)
                        .thenComparingInt(FetchSession::size)
                        .thenComparingLong(FetchSession::lastUsedMs))
                .orElseThrow();
        boolean worthMore = (privileged && !cheapest.privileged())
                || (privileged == cheapest.privileged() && size > cheapest.size());
        // a session only just created is not evicted for one of its kind, so two clients cannot
        // keep evicting each other's session before either was used
        boolean settled = privileged != cheapest.privileged() || now - cheapest.creationMs() >= evictionAgeMs;
        return worthMore && settled && evict(cheapest);
    }

    private boolean evict(FetchSession session) {
        sessions.remove(session.id());
        evictions++;
        return true;
    }
}
