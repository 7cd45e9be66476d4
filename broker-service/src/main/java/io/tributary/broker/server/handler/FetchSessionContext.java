package io.tributary.broker.server.handler;

import io.tributary.broker.fetch.FetchSession;
import io.tributary.broker.fetch.FetchSessionCache;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * How one Fetch request relates to the fetch sessions (KIP-227), by its {@code sessionId} and
 * {@code sessionEpoch}:
 *
 * <ul>
 *   <li>epoch -1: a sessionless full fetch (closing the named session, if any); answered with
 *       {@code sessionId} 0;
 *   <li>epoch 0: a full fetch asking for a new session (closing the named one); the answer lists
 *       every partition and carries the new session's id, or 0 when the cache has no room;
 *   <li>epoch &gt; 0: an incremental fetch of session {@code sessionId}: the request names only the
 *       partitions added or changed (and the forgotten ones), the leader reads every partition of
 *       the session, and the answer lists only those with data, an error, or a new high
 *       watermark, last stable offset or log start offset. An unknown session is
 *       {@code FETCH_SESSION_ID_NOT_FOUND}, another epoch than expected
 *       {@code INVALID_FETCH_SESSION_EPOCH}; both answer no partitions, and the client starts
 *       again with a full fetch.
 * </ul>
 *
 * <p>Thread-safety: one per request; {@link #finish} may run on another thread than the creation
 * (a parked fetch), never concurrently.
 */
final class FetchSessionContext {

    /** One partition to read: as the request (or the session) names it, and what is asked of it. */
    record Requested(FetchSession.Key key, FetchRequestData.FetchPartition request) {}

    private final Errors error;
    private final List<Requested> partitions;
    private final FetchSessionCache cache;
    private final boolean createSession;
    private final boolean privileged;
    private final FetchSession incremental;

    private FetchSessionContext(
            Errors error,
            List<Requested> partitions,
            FetchSessionCache cache,
            boolean createSession,
            boolean privileged,
            FetchSession incremental) {
        this.error = error;
        this.partitions = partitions;
        this.cache = cache;
        this.createSession = createSession;
        this.privileged = privileged;
        this.incremental = incremental;
    }

    static FetchSessionContext of(FetchRequestData data, boolean fromFollower, FetchSessionCache cache) {
        int sessionId = data.sessionId();
        int epoch = data.sessionEpoch();
        if (epoch == FetchMetadata.FINAL_EPOCH || epoch == FetchMetadata.INITIAL_EPOCH) {
            if (sessionId != FetchMetadata.INVALID_SESSION_ID) {
                cache.remove(sessionId);
            }
            return new FetchSessionContext(
                    Errors.NONE, requested(data), cache, epoch == FetchMetadata.INITIAL_EPOCH, fromFollower, null);
        }
        Optional<FetchSession> session = cache.get(sessionId);
        if (session.isEmpty()) {
            return failed(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        Map<FetchSession.Key, FetchRequestData.FetchPartition> updated = new LinkedHashMap<>();
        requested(data).forEach(r -> updated.put(r.key(), r.request()));
        List<FetchSession.Key> forgotten = new ArrayList<>();
        for (FetchRequestData.ForgottenTopic topic : data.forgottenTopicsData()) {
            for (int partition : topic.partitions()) {
                forgotten.add(new FetchSession.Key(topic.topicId(), topic.topic(), partition));
            }
        }
        if (!session.get().applyIncremental(epoch, updated, forgotten)) {
            return failed(Errors.INVALID_FETCH_SESSION_EPOCH);
        }
        List<Requested> all = session.get().partitions().stream()
                .map(e -> new Requested(e.getKey(), e.getValue()))
                .toList();
        return new FetchSessionContext(Errors.NONE, all, cache, false, fromFollower, session.get());
    }

    private static FetchSessionContext failed(Errors error) {
        return new FetchSessionContext(error, List.of(), null, false, false, null);
    }

    private static List<Requested> requested(FetchRequestData data) {
        List<Requested> requested = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : data.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                requested.add(new Requested(
                        new FetchSession.Key(topic.topicId(), topic.topic(), partition.partition()), partition));
            }
        }
        return requested;
    }

    /** {@code NONE}, or the session error that answers the whole request. */
    Errors error() {
        return error;
    }

    /** The partitions to read, in order. */
    List<Requested> partitions() {
        return partitions;
    }

    /** The answer to an erroneous request: the error, no session, no partitions. */
    FetchResponseData errorResponse() {
        return new FetchResponseData().setErrorCode(error.code()).setSessionId(FetchMetadata.INVALID_SESSION_ID);
    }

    /**
     * Turns the full answer (every partition read) into the one to send: creates the session of a
     * full fetch, or drops from an incremental answer the partitions with nothing new.
     */
    FetchResponseData finish(FetchResponseData full) {
        if (incremental != null) {
            for (Iterator<FetchResponseData.FetchableTopicResponse> topics =
                            full.responses().iterator();
                    topics.hasNext(); ) {
                FetchResponseData.FetchableTopicResponse topic = topics.next();
                topic.partitions()
                        .removeIf(p -> !incremental
                                .update(new FetchSession.Key(topic.topicId(), topic.topic(), p.partitionIndex()), p)
                                .orElse(true));
                if (topic.partitions().isEmpty()) {
                    topics.remove();
                }
            }
            return full.setSessionId(incremental.id());
        }
        if (!createSession) {
            return full.setSessionId(FetchMetadata.INVALID_SESSION_ID);
        }
        Map<FetchSession.Key, FetchRequestData.FetchPartition> requested = new LinkedHashMap<>();
        partitions.forEach(r -> requested.put(r.key(), r.request()));
        Optional<FetchSession> session = cache.maybeCreate(privileged, requested);
        session.ifPresent(s -> {
            for (FetchResponseData.FetchableTopicResponse topic : full.responses()) {
                for (FetchResponseData.PartitionData p : topic.partitions()) {
                    s.update(new FetchSession.Key(topic.topicId(), topic.topic(), p.partitionIndex()), p);
                }
            }
        });
        return full.setSessionId(session.map(FetchSession::id).orElse(FetchMetadata.INVALID_SESSION_ID));
    }
}
