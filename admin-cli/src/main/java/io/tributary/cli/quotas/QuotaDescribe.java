package io.tributary.cli.quotas;

import io.tributary.cli.output.Table;
import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.ExitCodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tributary quotas describe}: DescribeClientQuotas through the AdminClient. */
@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description = "Show client quotas: every entity's, or those of exactly the entity named.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary quotas describe",
            "  tributary quotas describe --user alice",
            "  tributary quotas describe --client-default --output json"
        })
final class QuotaDescribe extends AdminCommand {

    /** How the table and JSON name a default entity (Kafka's tools say the same). */
    static final String DEFAULT = "<default>";

    @Mixin
    QuotaEntityOptions entity = new QuotaEntityOptions();

    @Override
    protected int run(Admin admin) {
        Map<ClientQuotaEntity, Map<String, Double>> quotas =
                client.await(admin.describeClientQuotas(filter()).entities());
        List<Map<String, Object>> json = new ArrayList<>();
        Table table = new Table("USER", "CLIENT-ID", "QUOTAS");
        quotas.entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getKey().toString()))
                .forEach(e -> {
                    Map<String, String> components = e.getKey().entries();
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("user", name(components, ClientQuotaEntity.USER));
                    row.put("clientId", name(components, ClientQuotaEntity.CLIENT_ID));
                    row.put("quotas", new TreeMap<>(e.getValue()));
                    json.add(row);
                    table.row(
                            orBlank(row.get("user")),
                            orBlank(row.get("clientId")),
                            new TreeMap<>(e.getValue())
                                    .entrySet().stream()
                                            .map(q -> q.getKey() + "=" + format(q.getValue()))
                                            .collect(Collectors.joining(",")));
                });
        output().print(json, table);
        return ExitCodes.OK;
    }

    /** Everything, or exactly the named entity (what {@code kafka-configs --describe} shows). */
    private ClientQuotaFilter filter() {
        if (entity.isEmpty()) {
            return ClientQuotaFilter.all();
        }
        List<ClientQuotaFilterComponent> components = new ArrayList<>();
        entity.entity()
                .entries()
                .forEach((type, name) -> components.add(
                        name == null
                                ? ClientQuotaFilterComponent.ofDefaultEntity(type)
                                : ClientQuotaFilterComponent.ofEntity(type, name)));
        return ClientQuotaFilter.containsOnly(components);
    }

    /** The component's name, {@code <default>} for a default, {@code null} when the entity has none. */
    private static String name(Map<String, String> components, String type) {
        if (!components.containsKey(type)) {
            return null;
        }
        String name = components.get(type);
        return name == null ? DEFAULT : name;
    }

    private static Object orBlank(Object value) {
        return value == null ? "" : value;
    }

    /** Byte rates are whole numbers: {@code 1024}, not {@code 1024.0}. */
    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }
}
