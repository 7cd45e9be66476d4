package io.tributary.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.ApiHandlerRegistry;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check behind every service's {@code KafkaCompatibilityDocTest}: it must pass on a table that
 * lists exactly the registry and fail, saying which row and how to fix it, on every other table.
 */
class KafkaCompatibilityDocCheckTest {

    /** Fetch over kafka-clients' whole range (4-18 in 4.1), OffsetCommit capped at v8, ApiVersions 0-4 by default. */
    private static final ApiHandlerRegistry REGISTRY = ApiHandlerRegistry.builder()
            .register(handler(ApiKeys.FETCH, ApiKeys.FETCH.latestVersion(false)))
            .register(handler(ApiKeys.OFFSET_COMMIT, (short) 8))
            .build();

    private static final String FETCH_ROW = "| Fetch | 1 | " + ApiKeys.FETCH.oldestVersion() + "-"
            + ApiKeys.FETCH.latestVersion(false) + " | long polling |";
    private static final String COMMIT_ROW = "| OffsetCommit | 8 | " + ApiKeys.OFFSET_COMMIT.oldestVersion() + "-8 | |";
    private static final String VERSIONS_ROW = "| `ApiVersions` | 18 | 0–" + ApiKeys.API_VERSIONS.latestVersion(false)
            + " | an en dash and backticks are fine |";

    @Test
    void shouldAcceptATableListingExactlyTheServedApis() {
        List<KafkaCompatibilityDoc.Row> rows =
                KafkaCompatibilityDoc.table(doc(FETCH_ROW, COMMIT_ROW, VERSIONS_ROW), "t");

        assertThat(rows)
                .extracting(KafkaCompatibilityDoc.Row::api)
                .containsExactly("Fetch", "OffsetCommit", "ApiVersions");
        assertThat(KafkaCompatibilityDoc.differences(rows, REGISTRY, "the service"))
                .isEmpty();
    }

    @Test
    void shouldReportAWrongVersionRangeWithTheRowToWrite() {
        String stale = "| OffsetCommit | 8 | " + ApiKeys.OFFSET_COMMIT.oldestVersion() + "-9 | |";

        List<String> problems = problems(doc(FETCH_ROW, stale, VERSIONS_ROW));

        assertThat(problems)
                .singleElement()
                .asString()
                .contains(
                        "line 7",
                        "OffsetCommit",
                        "serves " + ApiKeys.OFFSET_COMMIT.oldestVersion() + "-8",
                        "`| OffsetCommit | 8 | " + ApiKeys.OFFSET_COMMIT.oldestVersion() + "-8 | ... |`");
    }

    @Test
    void shouldReportAWrongKey() {
        List<String> problems = problems(doc(FETCH_ROW.replace("| 1 |", "| 2 |"), COMMIT_ROW, VERSIONS_ROW));

        assertThat(problems).singleElement().asString().contains("Fetch has key '2', but its key is 1");
    }

    @Test
    void shouldReportAServedApiWithoutARow() {
        List<String> problems = problems(doc(FETCH_ROW, VERSIONS_ROW));

        assertThat(problems).singleElement().asString().contains("OffsetCommit (key 8)", "has no row", "add `|");
    }

    @Test
    void shouldReportARowForAnApiThatIsNotServed() {
        List<String> problems = problems(doc(FETCH_ROW, COMMIT_ROW, VERSIONS_ROW, "| Envelope | 58 | 0 | |"));

        assertThat(problems).singleElement().asString().contains("line 9", "Envelope is not served", "remove the row");
    }

    @Test
    void shouldReportADuplicateRowAndAnUnknownApiName() {
        List<String> problems =
                problems(doc(FETCH_ROW, COMMIT_ROW, VERSIONS_ROW, FETCH_ROW, "| OffsetsForLeaderEpoch | 23 | 2-4 | |"));

        assertThat(problems)
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("line 9", "Fetch is listed again (first on line 6)"))
                .anySatisfy(p -> assertThat(p).contains("'OffsetsForLeaderEpoch' is not a Kafka API name"));
    }

    @Test
    void shouldFailWhenTheMarkerOrAColumnIsMissing() {
        assertThatThrownBy(() -> KafkaCompatibilityDoc.table(doc(FETCH_ROW), "other"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no table marked <!-- api-table: other -->");
        assertThatThrownBy(() -> KafkaCompatibilityDoc.table(
                        "<!-- api-table: t -->\n| API | key | notes |\n| --- | --- | --- |\n", "t"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no 'versions' column");
    }

    @Test
    void shouldListEveryDifferenceOfADocumentInOneFailure(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kafka-compatibility.md");
        Files.writeString(file, doc(FETCH_ROW.replace("-" + ApiKeys.FETCH.latestVersion(false), "-17")));

        assertThatThrownBy(() -> KafkaCompatibilityDoc.assertTableMatches(file, "t", "the broker", REGISTRY))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not match the APIs the broker serves")
                .hasMessageContaining("Fetch is documented as versions '" + ApiKeys.FETCH.oldestVersion() + "-17'")
                .hasMessageContaining("OffsetCommit (key 8)")
                .hasMessageContaining("ApiVersions (key 18)");
    }

    @Test
    void shouldFindTheRepositoryDocumentFromTheModuleDirectory() {
        Path doc = KafkaCompatibilityDoc.locateFromModule();

        assertThat(doc).isRegularFile().hasFileName("kafka-compatibility.md");
        assertThat(doc.getParent()).hasFileName("docs");
    }

    /** A small document: a heading, then the marked table {@code t} with {@code rows} from line 6 on. */
    private static String doc(String... rows) {
        return "# Compatibility\n\n<!-- api-table: t -->\n| API | key | versions | notes |\n| --- | --: | --- | --- |\n"
                + String.join("\n", rows) + "\n\nAfter the table.\n";
    }

    private static List<String> problems(String markdown) {
        return KafkaCompatibilityDoc.differences(KafkaCompatibilityDoc.table(markdown, "t"), REGISTRY, "the service");
    }

    private static ApiHandler handler(ApiKeys apiKey, short maxVersion) {
        return new ApiHandler() {
            @Override
            public ApiKeys apiKey() {
                return apiKey;
            }

            @Override
            public short maxVersion() {
                return maxVersion;
            }

            @Override
            public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
                throw new UnsupportedOperationException("never called");
            }
        };
    }
}
