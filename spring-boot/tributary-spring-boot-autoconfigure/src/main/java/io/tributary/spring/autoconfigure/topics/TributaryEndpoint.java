package io.tributary.spring.autoconfigure.topics;

import java.time.Instant;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/tributary}: the drift report of the declared topics, read from the
 * cluster on each request (the endpoint is for people and scripts, not for probes).
 */
@Endpoint(id = "tributary")
public class TributaryEndpoint {

    private final TopicReconciler reconciler;

    public TributaryEndpoint(TopicReconciler reconciler) {
        this.reconciler = reconciler;
    }

    @ReadOperation
    public Report report() {
        DriftReport report = reconciler.check();
        return new Report(
                report.checkedAt(),
                report.inSync(),
                report.topics().stream()
                        .map(t -> new Topic(
                                t.topic(),
                                t.status().name(),
                                t.items().stream()
                                        .map(i -> new Item(
                                                i.kind().name(),
                                                i.classification().name(),
                                                i.key(),
                                                i.declared(),
                                                i.actual()))
                                        .toList()))
                        .toList());
    }

    /** The endpoint's JSON body. */
    public record Report(Instant checkedAt, boolean inSync, List<Topic> topics) {}

    /** One declared topic: {@code status} is IN_SYNC, SAFE_TO_RECONCILE or UNSUPPORTED. */
    public record Topic(String name, String status, List<Item> drift) {}

    /** One difference. */
    public record Item(String kind, String classification, String key, String declared, String actual) {}
}
