package io.tributary.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;

class OfflineStateTest {

    private final File dir = new File("/data/orders-0");
    private final OfflineState state = new OfflineState(new TopicPartition("orders", 0), dir, () -> 5, () -> 42);

    @Test
    void shouldBeOnlineUntilAnIoErrorAndThenFailFastNamingTheFirstCause() {
        state.ensureOnline();
        assertThat(state.isOffline()).isFalse();

        KafkaStorageException first = state.markOffline("append", new IOException("disk full"));
        state.markOffline("flush", new IOException("second error"));

        assertThat(state.isOffline()).isTrue();
        assertThat(first.getMessage())
                .contains("append", "orders-0", dir.getAbsolutePath(), "log start offset 5", "log end offset 42");
        assertThatThrownBy(state::ensureOnline)
                .isInstanceOf(KafkaStorageException.class)
                .hasMessageContaining("is offline")
                .hasMessageContaining("disk full")
                .hasCauseReference(first);
    }

    @Test
    void shouldTakeThePartitionOfflineOnlyForAWrappedIoException() {
        KafkaException notIo = new KafkaException("bad batch");
        assertThatThrownBy(() -> state.rethrowIfIo("read", notIo)).isSameAs(notIo);
        assertThat(state.isOffline()).isFalse();

        KafkaException io = new KafkaException("read failed", new IOException("EIO"));
        assertThatThrownBy(() -> state.rethrowIfIo("read", io))
                .isInstanceOf(KafkaStorageException.class)
                .hasRootCauseMessage("EIO");
        assertThat(state.isOffline()).isTrue();
    }
}
