package io.tributary.cli.clients;

import io.tributary.cli.output.Output;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ClientOptions;
import io.tributary.cli.support.DurationConverter;
import io.tributary.cli.support.ExitCodes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tributary consume}: prints records as they arrive, like {@code kafka-console-consumer}.
 * With {@code --group} it joins the group (subscribe) and commits exactly what it printed, so the
 * next run resumes after it; without, it reads every partition (or {@code --partition}) on its own
 * and commits nothing. Runs until {@code --max-messages}, {@code --idle-timeout} or Ctrl-C, and
 * exits 0 then.
 *
 * <p>A group that will not have this consumer fails the command with one line naming the group:
 * a refusal the coordinator sends (an invalid group id or session timeout, no access to the group)
 * or a failed commit at once, with the exit code of the refusal; with {@code --idle-timeout}, a
 * group that has not let the consumer in (no coordinator serves it, or its rebalance does not end)
 * within that time, and at least {@code --timeout}, with exit code 5. The idle time of a group
 * member counts from its join, so a group's first rebalance is not taken for idleness.
 */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        description = "Print records of a topic, as they arrive, one a line.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary consume --topic orders --from-beginning",
            "  tributary consume --topic orders --group billing --from-beginning --print-key --max-messages 10",
            "  tributary consume --topic orders --partition 0 --offset 42 --print-offset --print-timestamp",
            "  tributary consume --topic orders --from-beginning --idle-timeout 5s --output json"
        })
public final class ConsumeCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    /** Group ids longer than this are shortened in messages. */
    private static final int GROUP_SHOWN = 64;

    /** Records printed so far. */
    private long count;

    /** With {@code --group}: whether the group has let this consumer in (assigned it partitions, maybe none). */
    private boolean joined;

    /** When the last record arrived, or the group was joined, or the loop started. */
    private long idleSinceNanos;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(
            names = {"-t", "--topic"},
            paramLabel = "TOPIC",
            required = true,
            description = "The topic to read.")
    String topic;

    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            description = "Consume as a member of this consumer group, committing the offsets of what was printed.")
    String group;

    @Option(
            names = "--from-beginning",
            description = "Start at the earliest record when there is no committed offset (default: only new records).")
    boolean fromBeginning;

    @Option(
            names = {"-n", "--max-messages"},
            paramLabel = "N",
            description = "Exit after this many records.")
    Long maxMessages;

    @Option(
            names = "--partition",
            paramLabel = "P",
            description = "Read only this partition (assigned, not through a group rebalance).")
    Integer partition;

    @Option(
            names = "--offset",
            paramLabel = "OFFSET|earliest|latest",
            description = "With --partition: where to start. Default: earliest with --from-beginning, else latest.")
    String offset;

    @Option(
            names = {"--idle-timeout", "--timeout-ms"},
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Exit when no record arrived for this long (5s, 500ms, or milliseconds); with --group, "
                    + "counted from the join, and a group not joined within this time (and at least --timeout) "
                    + "is an error (exit code 5). Default: never.")
    Duration idleTimeout;

    @Option(names = "--print-key", description = "Print the key before the value.")
    boolean printKey;

    @Option(names = "--print-timestamp", description = "Print the timestamp (CreateTime:...).")
    boolean printTimestamp;

    @Option(names = "--print-offset", description = "Print the offset (Offset:...).")
    boolean printOffset;

    @Option(names = "--print-partition", description = "Print the partition (Partition:...).")
    boolean printPartition;

    @Option(
            names = "--separator",
            paramLabel = "SEP",
            defaultValue = "\\t",
            description = "Between the printed fields. Default: a tab.")
    String separator;

    @Option(
            names = "--consumer-property",
            paramLabel = "KEY=VALUE",
            description = "Any other consumer setting; repeatable.")
    Map<String, String> consumerProperties = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (offset != null && partition == null) {
            throw new CliException(ExitCodes.USAGE, "--offset needs --partition");
        }
        if (maxMessages != null && maxMessages <= 0) {
            return ExitCodes.OK;
        }
        Output out = client.output(spec);
        RecordFormatter formatter =
                new RecordFormatter(printTimestamp, printPartition, printOffset, printKey, separator);
        CountDownLatch finished = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            Thread hook = new Thread(
                    () -> {
                        consumer.wakeup();
                        awaitQuietly(finished);
                    },
                    "tributary-consume-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                start(consumer);
                try {
                    loop(consumer, out, formatter);
                } catch (WakeupException e) {
                    // Ctrl-C: stop as Kafka's console consumer does, committing what was printed
                }
                if (group != null) {
                    commitPositions(consumer);
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down: the hook is running
                }
            }
        } finally {
            finished.countDown();
        }
        spec.commandLine().getErr().println("Processed a total of " + count + " message" + (count == 1 ? "" : "s"));
        spec.commandLine().getErr().flush();
        return ExitCodes.OK;
    }

    private void start(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic, client.timeout());
        } catch (TimeoutException e) {
            throw client.unreachable(e);
        }
        if (partitions == null || partitions.isEmpty()) {
            throw CliException.notFound("Topic '" + topic + "' does not exist.");
        }
        if (partition != null) {
            if (partitions.stream().noneMatch(p -> p.partition() == partition)) {
                throw CliException.notFound(
                        "Topic '" + topic + "' has no partition " + partition + " (it has " + partitions.size() + ").");
            }
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            String from = offset != null ? offset : fromBeginning ? "earliest" : "latest";
            switch (from.strip().toLowerCase()) {
                case "earliest" -> consumer.seekToBeginning(List.of(tp));
                case "latest" -> consumer.seekToEnd(List.of(tp));
                default -> {
                    try {
                        consumer.seek(tp, Long.parseLong(from.strip()));
                    } catch (NumberFormatException e) {
                        throw new CliException(
                                ExitCodes.USAGE, "--offset must be a number, earliest or latest, not '" + from + "'");
                    }
                }
            }
        } else if (group != null) {
            consumer.subscribe(List.of(topic), new JoinListener());
        } else {
            List<TopicPartition> all = partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(all);
            if (fromBeginning) {
                consumer.seekToBeginning(all);
            } else {
                consumer.seekToEnd(all);
            }
        }
    }

    /**
     * Polls and prints until done. Records fetched but not printed (past {@code --max-messages})
     * are given back with a seek, so the consumer's position is always just past what was printed.
     */
    private void loop(KafkaConsumer<byte[], byte[]> consumer, Output out, RecordFormatter formatter) {
        PrintWriter writer = out.writer();
        long startNanos = System.nanoTime();
        idleSinceNanos = startNanos;
        while (maxMessages == null || count < maxMessages) {
            ConsumerRecords<byte[], byte[]> records = poll(consumer);
            Map<TopicPartition, OffsetAndMetadata> printed = new HashMap<>();
            Map<TopicPartition, Long> firstUnprinted = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (maxMessages != null && count >= maxMessages) {
                    firstUnprinted.putIfAbsent(tp, record.offset());
                    continue;
                }
                if (out.isJson()) {
                    out.jsonLine(RecordFormatter.json(record));
                } else {
                    writer.println(formatter.text(record));
                }
                count++;
                printed.put(tp, new OffsetAndMetadata(record.offset() + 1));
            }
            writer.flush();
            firstUnprinted.forEach(consumer::seek);
            if (group != null && !printed.isEmpty()) {
                commit(consumer, printed);
            }
            long now = System.nanoTime();
            if (!records.isEmpty()) {
                idleSinceNanos = now;
            } else if (idleTimeout != null && group != null && !joined) {
                if (now - startNanos > joinWait().toNanos()) {
                    throw notJoined();
                }
            } else if (idleTimeout != null && now - idleSinceNanos > idleTimeout.toNanos()) {
                break;
            }
        }
    }

    /** One poll; a failure of a group member names its group (the refusal is the group's). */
    private ConsumerRecords<byte[], byte[]> poll(KafkaConsumer<byte[], byte[]> consumer) {
        try {
            return consumer.poll(POLL);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            throw group == null ? e : groupFailure("", e);
        }
    }

    private void commit(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets, client.timeout());
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            throw groupFailure("commit failed: ", e);
        }
    }

    /** How long a group member waits to be let in, with {@code --idle-timeout}: never less than {@code --timeout}. */
    private Duration joinWait() {
        return idleTimeout.compareTo(client.timeout()) > 0 ? idleTimeout : client.timeout();
    }

    private CliException notJoined() {
        return new CliException(
                ExitCodes.UNAVAILABLE,
                "Consumer group '" + shownGroup() + "' was not joined within " + DurationConverter.format(joinWait())
                        + ": no coordinator took this consumer in (none serves the group, or its rebalance did not end)");
    }

    private CliException groupFailure(String what, KafkaException e) {
        return ExitCodes.asCliException("Consumer group '" + shownGroup() + "': " + what, e);
    }

    /** The group id, shortened when it is too long for one line. */
    private String shownGroup() {
        return group.length() <= GROUP_SHOWN
                ? group
                : group.substring(0, GROUP_SHOWN) + "... (" + group.length() + " characters)";
    }

    /** Notes the join: the first assignment (possibly empty) after each join; the idle time counts from the first. */
    private final class JoinListener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!joined) {
                joined = true;
                idleSinceNanos = System.nanoTime();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
    }

    /**
     * On the way out, commits the position of every assigned partition, also those that had
     * nothing to print, so that the group shows (and resumes at) each of them, as Kafka's console
     * consumer leaves a group.
     */
    private void commitPositions(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            positions.put(tp, new OffsetAndMetadata(consumer.position(tp, client.timeout())));
        }
        if (!positions.isEmpty()) {
            commit(consumer, positions);
        }
    }

    private Properties consumerProperties() {
        Properties props = client.clientProperties();
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "tributary-cli-consumer");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putAll(consumerProperties);
        return props;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
