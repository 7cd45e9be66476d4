package io.tributary.cli.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordFormatterTest {

    private static final ConsumerRecord<byte[], byte[]> RECORD = new ConsumerRecord<>(
            "orders",
            2,
            41L,
            1_700_000_000_000L,
            TimestampType.CREATE_TIME,
            2,
            5,
            "k1".getBytes(StandardCharsets.UTF_8),
            "hello".getBytes(StandardCharsets.UTF_8),
            new RecordHeaders(),
            Optional.empty());

    @Test
    void shouldPrintOnlyTheValueByDefault() {
        assertThat(new RecordFormatter(false, false, false, false, "\\t").text(RECORD))
                .isEqualTo("hello");
    }

    @Test
    void shouldPrefixWhatWasAskedForInKafkasOrder() {
        assertThat(new RecordFormatter(true, true, true, true, "\\t").text(RECORD))
                .isEqualTo("CreateTime:1700000000000\tPartition:2\tOffset:41\tk1\thello");
        assertThat(new RecordFormatter(false, false, false, true, ":").text(RECORD))
                .isEqualTo("k1:hello");
    }

    @Test
    void shouldPrintANullKeyAsNullAndGiveEveryFieldInJson() {
        ConsumerRecord<byte[], byte[]> keyless =
                new ConsumerRecord<>("orders", 0, 0L, null, "v".getBytes(StandardCharsets.UTF_8));
        assertThat(new RecordFormatter(false, false, false, true, "\\t").text(keyless))
                .isEqualTo("null\tv");
        assertThat(RecordFormatter.json(RECORD))
                .containsEntry("topic", "orders")
                .containsEntry("partition", 2)
                .containsEntry("offset", 41L)
                .containsEntry("timestamp", 1_700_000_000_000L)
                .containsEntry("key", "k1")
                .containsEntry("value", "hello");
    }
}
