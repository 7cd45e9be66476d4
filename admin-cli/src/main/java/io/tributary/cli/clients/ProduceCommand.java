package io.tributary.cli.clients;

import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ClientOptions;
import io.tributary.cli.support.ExitCodes;
import io.tributary.cli.support.StandardInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tributary produce}: one record per input line, like {@code kafka-console-producer}. Stops
 * at the first record the cluster refuses; exits once every record sent is acknowledged.
 */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = "Send lines from standard input (or --file) to a topic, one record per line.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  echo hello | tributary produce --topic orders",
            "  printf 'k1:v1\\nk2:v2\\n' | tributary produce --topic orders --property parse.key=true --property key.separator=:",
            "  tributary produce --topic orders --file orders.txt --acks 1 --compression zstd"
        })
public final class ProduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The root command, for standard input. */
    @ParentCommand
    StandardInput root;

    @Mixin
    ClientOptions client;

    @Option(
            names = {"-t", "--topic"},
            paramLabel = "TOPIC",
            required = true,
            description = "The topic to write to.")
    String topic;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Read lines from this file instead of standard input.")
    Path file;

    @Option(
            names = "--property",
            paramLabel = "KEY=VALUE",
            arity = "1..*",
            description = "Line parsing: parse.key=true|false, key.separator=SEP (default: tab), null.marker=TEXT, "
                    + "ignore.error=true|false.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(
            names = "--acks",
            defaultValue = "all",
            description =
                    "Acknowledgements to wait for: all (every in-sync replica), 1 (the leader) or 0. Default: ${DEFAULT-VALUE}.")
    String acks;

    @Option(
            names = "--compression",
            defaultValue = "none",
            description = "none, gzip, snappy, lz4 or zstd. Default: ${DEFAULT-VALUE}.")
    String compression;

    @Option(
            names = "--producer-property",
            paramLabel = "KEY=VALUE",
            description = "Any other producer setting; repeatable.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        LineParser parser = new LineParser(properties);
        String normalizedAcks = switch (acks.strip().toLowerCase()) {
            case "all", "-1" -> "all";
            case "1", "0" -> acks.strip();
            default -> throw new IllegalArgumentException("--acks must be all, 1 or 0, not '" + acks + "'");
        };
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        long sent = 0;
        try (BufferedReader reader = open();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(normalizedAcks))) {
            String line;
            while (failure.get() == null && (line = reader.readLine()) != null) {
                LineParser.KeyValue kv = parser.parse(line, sent + 1);
                producer.send(new ProducerRecord<>(topic, bytes(kv.key()), bytes(kv.value())), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                sent++;
            }
            producer.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (failure.get() != null) {
            Exception e = failure.get();
            if (e instanceof TimeoutException && String.valueOf(e.getMessage()).contains("not present in metadata")) {
                throw CliException.notFound("Topic '" + topic + "' does not exist (" + e.getMessage() + ")");
            }
            if (e instanceof TimeoutException) {
                throw client.unreachable(e);
            }
            throw ExitCodes.asCliException("After " + acked.get() + " records were acknowledged: ", e);
        }
        client.output(spec)
                .print(
                        Map.of("topic", topic, "records", acked.get()),
                        "Produced " + acked.get() + " record" + (acked.get() == 1 ? "" : "s") + " to topic " + topic
                                + ".");
        return ExitCodes.OK;
    }

    private BufferedReader open() throws IOException {
        if (file != null) {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        }
        return new BufferedReader(new InputStreamReader(root.stdin(), StandardCharsets.UTF_8));
    }

    private Properties producerProperties(String normalizedAcks) {
        Properties props = client.clientProperties();
        props.remove(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG);
        long timeout = client.timeout().toMillis();
        props.put(ProducerConfig.ACKS_CONFIG, normalizedAcks);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(normalizedAcks.equals("all")));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout + 5));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putAll(producerProperties);
        return props;
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
