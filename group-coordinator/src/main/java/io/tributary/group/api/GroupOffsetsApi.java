package io.tributary.group.api;

import io.tributary.group.api.GroupApiBodies.HistoryBody;
import io.tributary.group.api.GroupApiBodies.ResetBody;
import io.tributary.group.api.GroupApiBodies.ResetPartition;
import io.tributary.group.api.GroupApiBodies.ResetRequest;
import io.tributary.group.coordinator.RequestContext;
import io.tributary.group.history.CommitRecord;
import io.tributary.group.history.OffsetHistory;
import io.tributary.group.history.OffsetResetter;
import io.tributary.group.history.OffsetResetter.PlannedReset;
import io.tributary.group.offset.OffsetManager;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * The group-coordinator's REST API for offset history: what a group committed when, and a reset
 * of its committed offsets to their positions as of a past commit time. Any instance answers
 * history queries (the history is in the shared store); a reset is done by the instance serving
 * the group, to which the others forward it. Errors are RFC 7807 problems with Kafka's error code:
 * an unknown group is 404 {@code GROUP_ID_NOT_FOUND}, a reset of a group with active members 409
 * {@code NON_EMPTY_GROUP}.
 */
@RestController
@RequestMapping("/api/groups/{group}/offsets")
class GroupOffsetsApi {

    private static final int MAX_LIMIT = 10_000;
    /** Who a REST reset is recorded as in the history when the caller does not say. */
    private static final String DEFAULT_CLIENT_ID = "rest-api";

    private final OffsetHistory history;
    private final OffsetResetter resetter;
    private final OffsetManager offsets;
    private final OwnerForwarder forwarder;
    private final ObjectMapper json;

    GroupOffsetsApi(
            OffsetHistory history,
            OffsetResetter resetter,
            OffsetManager offsets,
            OwnerForwarder forwarder,
            ObjectMapper json) {
        this.history = history;
        this.resetter = resetter;
        this.offsets = offsets;
        this.forwarder = forwarder;
        this.json = json;
    }

    /** The group's commits at or after {@code since} (default: as far back as the history goes), oldest first. */
    @GetMapping("/history")
    HistoryBody history(
            @PathVariable String group,
            @RequestParam(required = false) String topic,
            @RequestParam(required = false) Instant since,
            @RequestParam(defaultValue = "1000") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        Instant from = since != null ? since : history.retainedSince();
        String topicFilter = topic == null || topic.isBlank() ? null : topic;
        List<CommitRecord> commits = history.history(group, topicFilter, from, limit);
        if (commits.isEmpty() && !history.knows(group) && offsets.fetch(group).isEmpty()) {
            throw new GroupIdNotFoundException("Group " + group + " has no committed offsets and no commit history");
        }
        return new HistoryBody(group, topicFilter, from, commits);
    }

    /** Plans (dry run) or executes a reset to the positions as of {@code toCommitTime}. */
    @PostMapping("/reset")
    ResponseEntity<?> reset(
            @PathVariable String group,
            @RequestBody ResetRequest body,
            @RequestHeader(name = OwnerForwarder.FORWARDED_HEADER, required = false) String forwarded,
            @RequestHeader(name = OwnerForwarder.CLIENT_ID_HEADER, required = false) String clientId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            HttpServletRequest http)
            throws Exception {
        if (body == null || body.toCommitTime() == null) {
            throw new InvalidRequestException("toCommitTime is required (ISO-8601, e.g. 2026-11-24T08:00:00Z)");
        }
        if (!forwarder.servesHere(group)) {
            return forwarder.post(
                    group, "offsets/reset", json.writeValueAsString(body), clientId, authorization, forwarded != null);
        }
        String topic = body.topic() == null || body.topic().isBlank() ? null : body.topic();
        boolean execute = Boolean.TRUE.equals(body.execute());
        RequestContext context = RequestContext.of(
                clientId == null || clientId.isBlank() ? DEFAULT_CLIENT_ID : clientId, "/" + http.getRemoteAddr(), 5);
        List<PlannedReset> plan = resetter.reset(group, topic, body.toCommitTime(), execute, context);
        return ResponseEntity.ok(new ResetBody(
                group,
                body.toCommitTime(),
                execute,
                plan.stream().map(GroupOffsetsApi::toBody).toList()));
    }

    private static ResetPartition toBody(PlannedReset p) {
        CommitRecord r = p.restored();
        return new ResetPartition(
                p.topic(),
                p.partition(),
                p.currentOffset(),
                r == null ? null : r.offset(),
                r == null ? null : r.commitTime(),
                r == null ? null : r.memberId(),
                r == null ? null : r.clientId());
    }
}
