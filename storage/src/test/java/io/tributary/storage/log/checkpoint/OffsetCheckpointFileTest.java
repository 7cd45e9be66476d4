package io.tributary.storage.log.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetCheckpointFileTest {

    @TempDir
    Path tmp;

    @Test
    void shouldRoundTripInKafkasTextFormat() throws IOException {
        OffsetCheckpointFile file = new OffsetCheckpointFile(tmp.resolve("recovery-point-offset-checkpoint"));
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        offsets.put(new TopicPartition("a-b", 0), 12L);
        offsets.put(new TopicPartition("c", 3), 0L);

        file.write(offsets);

        assertThat(Files.readAllLines(file.path())).containsExactly("0", "2", "a-b 0 12", "c 3 0");
        assertThat(file.read()).isEqualTo(offsets);
        assertThat(Files.list(tmp)).hasSize(1);
    }

    @Test
    void shouldReadAMissingFileAsEmptyAndRejectAMalformedOne() throws IOException {
        OffsetCheckpointFile file = new OffsetCheckpointFile(tmp.resolve("x"));
        assertThat(file.read()).isEmpty();

        Files.writeString(file.path(), "0\n2\nt 0 1\n");
        assertThatThrownBy(file::read)
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("x");
        Files.writeString(file.path(), "1\n0\n");
        assertThatThrownBy(file::read)
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("version");
    }

    @Test
    void shouldRoundTripPartitionMetadata() throws IOException {
        PartitionMetadataFile file = new PartitionMetadataFile(tmp);
        Uuid id = Uuid.randomUuid();
        assertThat(file.read()).isEmpty();

        file.write(id);

        assertThat(file.read()).hasValue(id);
        assertThat(Files.readString(file.path())).isEqualTo("version: 0\ntopic_id: " + id + "\n");
    }
}
