package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.testing.ComponentApiHandlers;
import io.tributary.common.testing.KafkaCompatibilityDoc;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/kafka-compatibility.md} lists exactly the APIs and versions the broker's Kafka
 * listener serves. The registry is built as {@code BrokerServerConfiguration} builds it: every
 * {@link ApiHandler} component the broker's component scan finds, registered in one
 * {@link ApiHandlerRegistry} (which adds ApiVersions itself). A handler added, removed or given
 * another version range without the document changing fails here, naming the row to write.
 */
class KafkaCompatibilityDocTest {

    private static ApiHandlerRegistry brokerRegistry() {
        List<ApiHandler> handlers = ComponentApiHandlers.instantiate(BrokerApplication.class.getPackageName());
        ApiHandlerRegistry.Builder registry = ApiHandlerRegistry.builder();
        handlers.forEach(registry::register);
        return registry.build();
    }

    @Test
    void shouldDocumentExactlyTheApisAndVersionsTheBrokerServes() {
        KafkaCompatibilityDoc.assertTableMatches(
                KafkaCompatibilityDoc.locateFromModule(), "broker", "the broker", brokerRegistry());
    }

    @Test
    void shouldServeTheClientApisButNeverEnvelope() {
        // guards the scan itself: an empty scan would leave a registry of ApiVersions alone
        ApiHandlerRegistry registry = brokerRegistry();

        assertThat(registry.apiKeys())
                .contains(ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.METADATA, ApiKeys.FIND_COORDINATOR)
                .doesNotContain(ApiKeys.ENVELOPE);
    }
}
