package io.tributary.spring.autoconfigure.topics;

import java.util.stream.Collectors;

/** {@code tributary.topics.drift-policy=fail} and a declared topic is not in sync. */
public class TopicDriftException extends RuntimeException {

    private final transient DriftReport report;

    public TopicDriftException(DriftReport report) {
        super("Declared topics differ from the cluster (tributary.topics.drift-policy=fail): "
                + report.topics().stream()
                        .filter(t -> t.status() != DriftKind.Classification.IN_SYNC)
                        .map(t -> t.topic() + " " + t.items())
                        .collect(Collectors.joining("; ")));
        this.report = report;
    }

    public DriftReport report() {
        return report;
    }
}
