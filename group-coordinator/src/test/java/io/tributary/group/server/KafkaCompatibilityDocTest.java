package io.tributary.group.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.testing.ComponentApiHandlers;
import io.tributary.common.testing.KafkaCompatibilityDoc;
import io.tributary.group.GroupCoordinatorApplication;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/kafka-compatibility.md} lists exactly the APIs and versions the group-coordinator's
 * Kafka listener serves to brokers. The registry is the one {@link GroupProtocolServer#registry}
 * builds from every handler component the service's component scan finds: the group APIs,
 * ApiVersions and Envelope. A handler added, removed or given another version range without the
 * document changing fails here, naming the row to write.
 */
class KafkaCompatibilityDocTest {

    private static ApiHandlerRegistry coordinatorRegistry() {
        return GroupProtocolServer.registry(
                ComponentApiHandlers.instantiate(GroupCoordinatorApplication.class.getPackageName()));
    }

    @Test
    void shouldDocumentExactlyTheApisAndVersionsTheGroupCoordinatorServes() {
        KafkaCompatibilityDoc.assertTableMatches(
                KafkaCompatibilityDoc.locateFromModule(),
                "group-coordinator",
                "the group-coordinator",
                coordinatorRegistry());
    }

    @Test
    void shouldServeTheGroupApisInsideEnvelopes() {
        // guards the scan itself: an empty scan would leave ApiVersions and Envelope alone
        assertThat(coordinatorRegistry().apiKeys())
                .contains(ApiKeys.ENVELOPE, ApiKeys.JOIN_GROUP, ApiKeys.OFFSET_COMMIT)
                .doesNotContain(ApiKeys.METADATA, ApiKeys.PRODUCE);
    }
}
