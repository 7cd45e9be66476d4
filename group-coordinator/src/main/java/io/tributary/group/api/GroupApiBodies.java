package io.tributary.group.api;

import io.tributary.group.history.CommitRecord;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of the group REST API: records, never entities. */
final class GroupApiBodies {

    private GroupApiBodies() {}

    /** {@code GET /api/groups/{group}/offsets/history}: the commits at or after {@code since}, oldest first. */
    record HistoryBody(String group, String topic, Instant since, List<CommitRecord> commits) {}

    /**
     * {@code POST /api/groups/{group}/offsets/reset}.
     *
     * @param toCommitTime the moment whose committed positions to restore (ISO-8601, required)
     * @param topic        only this topic's partitions, or all when absent
     * @param execute      apply the reset; when absent or false, only plan it (a dry run)
     */
    record ResetRequest(Instant toCommitTime, String topic, Boolean execute) {}

    /**
     * One partition of a reset.
     *
     * @param currentOffset the committed offset before the reset, null if none
     * @param newOffset     the offset after it, null when the committed offset is deleted (no commit then)
     * @param commitTime    when the restored offset was committed, null when deleted
     * @param memberId      who committed the restored offset
     * @param clientId      the client id of that commit
     */
    record ResetPartition(
            String topic,
            int partition,
            Long currentOffset,
            Long newOffset,
            Instant commitTime,
            String memberId,
            String clientId) {}

    record ResetBody(String group, Instant toCommitTime, boolean executed, List<ResetPartition> partitions) {}
}
