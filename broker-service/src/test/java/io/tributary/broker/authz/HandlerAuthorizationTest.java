package io.tributary.broker.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerApplication;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.testing.ComponentApiHandlers;
import io.tributary.common.testing.KafkaCompatibilityDoc;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every API handler the broker registers declares its ACL checks with {@link Authorization}, so a
 * new API cannot be served while nobody decided how it is authorized (with the authorizer on, a
 * handler that checks nothing lets everyone in). The declarations are the authorization table
 * of {@code docs/kafka-compatibility.md}: a declaration changed without the table fails here,
 * printing the row to write. (ApiVersions, added by the registry itself, needs no ACL in Kafka
 * either and is not a broker handler.)
 */
class HandlerAuthorizationTest {

    private static final String MARKER = "<!-- authz-table: broker";

    private static List<ApiHandler> brokerHandlers() {
        return ComponentApiHandlers.instantiate(BrokerApplication.class.getPackageName());
    }

    @Test
    void shouldDeclareTheAclChecksOfEveryBrokerHandler() {
        List<String> undeclared = brokerHandlers().stream()
                .filter(handler -> handler.getClass().getAnnotation(Authorization.class) == null)
                .map(handler -> handler.apiKey() + " (" + handler.getClass().getName() + ")")
                .toList();

        assertThat(undeclared)
                .as("handlers without @Authorization: declare what each checks (Kafka's KafkaApis)")
                .isEmpty();
        assertThat(brokerHandlers()).hasSizeGreaterThan(30); // guards the scan itself
    }

    @Test
    void shouldDocumentTheAclChecksOfEveryBrokerHandler() throws IOException {
        Map<String, String> expected = new TreeMap<>();
        for (ApiHandler handler : brokerHandlers()) {
            Authorization declared = handler.getClass().getAnnotation(Authorization.class);
            if (declared != null) {
                expected.put(handler.apiKey().name, row(handler.apiKey().name, declared));
            }
        }
        String doc = Files.readString(KafkaCompatibilityDoc.locateFromModule());

        Map<String, String> documented = documentedRows(doc);

        List<String> wrong = new ArrayList<>();
        expected.forEach((api, row) -> {
            if (!row.equals(documented.get(api))) {
                wrong.add(
                        "expected: " + row + (documented.containsKey(api) ? "\n   found: " + documented.get(api) : ""));
            }
        });
        documented.keySet().stream()
                .filter(api -> !expected.containsKey(api))
                .forEach(api -> wrong.add("not a broker API: " + documented.get(api)));
        assertThat(wrong)
                .as("the authorization table of docs/kafka-compatibility.md (" + MARKER + " -->)")
                .isEmpty();
    }

    /** The table row of one API: its checks as {@code OPERATION RESOURCE_TYPE}, then the note. */
    static String row(String api, Authorization declared) {
        String checks = declared.value().length == 0
                ? "none"
                : Arrays.stream(declared.value())
                        .map(acl -> "`" + acl.operation() + "` " + acl.resource())
                        .collect(Collectors.joining(", "));
        return "| " + api + " | " + checks + " | " + declared.note() + " |";
    }

    private static Map<String, String> documentedRows(String doc) {
        int start = doc.indexOf(MARKER);
        assertThat(start).as("the marker " + MARKER + " in the doc").isNotNegative();
        Map<String, String> rows = new TreeMap<>(Comparator.naturalOrder());
        doc.substring(start)
                .lines()
                .skip(3) // the marker, the header and its rule
                .takeWhile(line -> line.startsWith("|"))
                .forEach(line -> rows.put(line.split("\\|")[1].trim(), line.strip()));
        return rows;
    }
}
