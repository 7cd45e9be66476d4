package io.tributary.cli.clients;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * How {@code consume} prints a record: as {@code kafka-console-consumer}'s default formatter does
 * ({@code CreateTime:1700000000000<TAB>Partition:0<TAB>Offset:5<TAB>key<TAB>value}, each prefix
 * only when asked for), or as one JSON object per record.
 *
 * <p>Immutable and thread-safe.
 */
public final class RecordFormatter {

    private final boolean printTimestamp;
    private final boolean printPartition;
    private final boolean printOffset;
    private final boolean printKey;
    private final String separator;

    public RecordFormatter(
            boolean printTimestamp, boolean printPartition, boolean printOffset, boolean printKey, String separator) {
        this.printTimestamp = printTimestamp;
        this.printPartition = printPartition;
        this.printOffset = printOffset;
        this.printKey = printKey;
        this.separator = LineParser.unescape(separator);
    }

    public String text(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder line = new StringBuilder();
        if (printTimestamp) {
            line.append(record.timestampType())
                    .append(':')
                    .append(record.timestamp())
                    .append(separator);
        }
        if (printPartition) {
            line.append("Partition:").append(record.partition()).append(separator);
        }
        if (printOffset) {
            line.append("Offset:").append(record.offset()).append(separator);
        }
        if (printKey) {
            line.append(string(record.key())).append(separator);
        }
        return line.append(string(record.value())).toString();
    }

    /** Every field, whatever was asked for: scripts pick what they need. */
    public static Map<String, Object> json(ConsumerRecord<byte[], byte[]> record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", record.topic());
        json.put("partition", record.partition());
        json.put("offset", record.offset());
        json.put("timestamp", record.timestamp());
        json.put("timestampType", record.timestampType().toString());
        json.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        json.put("value", record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
        return json;
    }

    private static String string(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
