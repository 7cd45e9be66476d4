package io.tributary.spring.autoconfigure.topics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code tributary.topic.drift{topic,kind}}: per declared topic and drift kind, the number of
 * differences found by the last check (0 when in sync, NaN before the first check).
 */
public class TopicDriftMetrics implements MeterBinder {

    private final TopicDeclarations declarations;
    private final TopicReconciler reconciler;

    public TopicDriftMetrics(TopicDeclarations declarations, TopicReconciler reconciler) {
        this.declarations = declarations;
        this.reconciler = reconciler;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String topic : declarations.names()) {
            for (DriftKind kind : DriftKind.values()) {
                Gauge.builder("tributary.topic.drift", reconciler, r -> value(r.lastReport(), topic, kind))
                        .description("Differences between a declared topic and the cluster's, by kind")
                        .tag("topic", topic)
                        .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                        .register(registry);
            }
        }
    }

    private static double value(DriftReport report, String topic, DriftKind kind) {
        if (report == null) {
            return Double.NaN;
        }
        return report.topic(topic).map(t -> (double) t.count(kind)).orElse(Double.NaN);
    }
}
