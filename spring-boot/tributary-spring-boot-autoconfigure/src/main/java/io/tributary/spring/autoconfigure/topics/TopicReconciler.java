package io.tributary.spring.autoconfigure.topics;

import io.tributary.spring.autoconfigure.TributaryProperties;
import io.tributary.spring.autoconfigure.TributaryProperties.DriftPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Brings the declared topics into being and reports how they differ from the cluster's. At
 * startup (after all singletons exist, before listener containers start) it creates the missing
 * topics, applies {@code tributary.topics.drift-policy} and publishes a {@link TopicDriftEvent};
 * {@link #check} repeats the comparison read-only. It only ever creates topics, adds partitions
 * and sets configs: it never deletes a topic, removes partitions or changes a replication factor.
 *
 * <p>Thread-safe: each call works on its own admin futures; the last report is an atomic reference.
 */
public class TopicReconciler implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(TopicReconciler.class);

    private final TopicDeclarations declarations;
    private final TributaryAdmin admin;
    private final TributaryProperties.Topics settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Supplier<String> producerAcks;
    private final AtomicReference<DriftReport> last = new AtomicReference<>();

    public TopicReconciler(
            TopicDeclarations declarations,
            TributaryAdmin admin,
            TributaryProperties.Topics settings,
            ApplicationEventPublisher events,
            Clock clock,
            Supplier<String> producerAcks) {
        this.declarations = declarations;
        this.admin = admin;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
        this.producerAcks = producerAcks;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (declarations.isEmpty()) {
            return;
        }
        warn(RiskySettings.replicationAboveLiveBrokers(declarations.topics(), liveBrokers()));
        Map<String, ActualTopic> actual = describe(declarations.names());
        DriftReport report = report(actual);
        if (settings.create()) {
            createMissing(report);
        }
        if (settings.driftPolicy() == DriftPolicy.RECONCILE_SAFE) {
            reconcileSafe(report);
        }
        if (settings.create() || settings.driftPolicy() == DriftPolicy.RECONCILE_SAFE) {
            actual = describe(declarations.names());
            report = report(actual);
        }
        logReport(report);
        warn(RiskySettings.minInsyncEqualsReplication(declarations.topics(), actual, producerAcks.get()));
        if (settings.driftPolicy() == DriftPolicy.FAIL && !report.inSync()) {
            throw new TopicDriftException(report);
        }
    }

    /** The report of the last check, {@code null} before the first. */
    public DriftReport lastReport() {
        return last.get();
    }

    /** Compares every declared topic with the cluster now, publishes and returns the report. */
    public DriftReport check() {
        return report(describe(declarations.names()));
    }

    private DriftReport report(Map<String, ActualTopic> actual) {
        List<TopicDrift> topics = new ArrayList<>();
        for (DeclaredTopic topic : declarations.topics()) {
            topics.add(DriftClassifier.compare(topic, actual.get(topic.name())));
        }
        DriftReport report = new DriftReport(clock.instant(), topics);
        last.set(report);
        events.publishEvent(new TopicDriftEvent(this, report));
        return report;
    }

    private int liveBrokers() {
        try {
            return await(admin.get().describeCluster().nodes()).size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the cluster's live brokers", e.getCause());
        }
    }

    private static void warn(List<String> warnings) {
        warnings.forEach(log::warn);
    }

    private Map<String, ActualTopic> describe(Collection<String> names) {
        Admin client = admin.get();
        Map<String, KafkaFuture<TopicDescription>> descriptions =
                client.describeTopics(names).topicNameValues();
        Map<String, TopicDescription> existing = new HashMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : descriptions.entrySet()) {
            try {
                existing.put(entry.getKey(), await(entry.getValue()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("could not describe topic " + entry.getKey(), e.getCause());
                }
            }
        }
        Map<String, ActualTopic> result = new HashMap<>();
        if (existing.isEmpty()) {
            return result;
        }
        List<ConfigResource> resources = existing.keySet().stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = await(client.describeConfigs(resources).all());
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not describe the configs of " + existing.keySet(), e.getCause());
        }
        for (Map.Entry<String, TopicDescription> entry : existing.entrySet()) {
            TopicDescription description = entry.getValue();
            Map<String, String> values = new HashMap<>();
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, entry.getKey()));
            if (config != null) {
                for (ConfigEntry configEntry : config.entries()) {
                    if (configEntry.value() != null) {
                        values.put(configEntry.name(), configEntry.value());
                    }
                }
            }
            int replicationFactor = description.partitions().isEmpty()
                    ? 0
                    : description.partitions().get(0).replicas().size();
            result.put(entry.getKey(), new ActualTopic(description.partitions().size(), replicationFactor, values));
        }
        return result;
    }

    private void createMissing(DriftReport report) {
        List<NewTopic> missing = new ArrayList<>();
        for (DeclaredTopic topic : declarations.topics()) {
            if (report.topic(topic.name())
                    .map(t -> t.count(DriftKind.MISSING) > 0)
                    .orElse(false)) {
                missing.add(new NewTopic(topic.name(), topic.partitions(), topic.replicationFactor())
                        .configs(topic.configs()));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        admin.get().createTopics(missing).values().forEach((name, future) -> {
            try {
                await(future);
                log.info("Created declared topic {}", name);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InvalidReplicationFactorException) {
                    // already warned about (replicationAboveLiveBrokers); the report shows it MISSING
                    log.debug(
                            "Declared topic {} not created: {}",
                            name,
                            e.getCause().getMessage());
                } else if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create declared topic " + name, e.getCause());
                }
            }
        });
    }

    private void reconcileSafe(DriftReport report) {
        Map<String, NewPartitions> raises = new HashMap<>();
        Map<ConfigResource, Collection<AlterConfigOp>> configs = new HashMap<>();
        for (TopicDrift topic : report.topics()) {
            for (DriftItem item : topic.items()) {
                switch (item.kind()) {
                    case PARTITIONS_LOWER ->
                        raises.put(topic.topic(), NewPartitions.increaseTo(Integer.parseInt(item.declared())));
                    case CONFIG ->
                        configs.computeIfAbsent(
                                        new ConfigResource(ConfigResource.Type.TOPIC, topic.topic()),
                                        r -> new ArrayList<>())
                                .add(new AlterConfigOp(
                                        new ConfigEntry(item.key(), item.declared()), AlterConfigOp.OpType.SET));
                    default -> {
                        // missing topics are created above; the rest is never changed in place
                    }
                }
            }
        }
        try {
            if (!raises.isEmpty()) {
                await(admin.get().createPartitions(raises).all());
                log.info("Raised the partition counts of declared topics: {}", raises.keySet());
            }
            if (!configs.isEmpty()) {
                await(admin.get().incrementalAlterConfigs(configs).all());
                log.info("Set declared configs: {}", configs);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not reconcile declared topics", e.getCause());
        }
    }

    private void logReport(DriftReport report) {
        for (TopicDrift topic : report.topics()) {
            if (topic.status() == DriftKind.Classification.IN_SYNC) {
                log.debug("Declared topic {} is in sync", topic.topic());
            } else {
                log.warn(
                        "Declared topic {} differs from the cluster ({}): {}",
                        topic.topic(),
                        topic.status(),
                        topic.items());
            }
        }
    }

    private <T> T await(KafkaFuture<T> future) throws ExecutionException {
        Duration timeout = settings.timeout();
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to the cluster", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer within " + timeout, e);
        }
    }
}
