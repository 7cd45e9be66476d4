package io.tributary.cli.cluster;

import io.tributary.cli.output.Output;
import io.tributary.cli.output.Table;
import io.tributary.cli.support.ClientOptions;
import io.tributary.cli.support.ExitCodes;
import io.tributary.cli.support.RestClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code tributary cluster}: the metadata-service's {@code /api/cluster} (controller, controller
 * epoch, live brokers, under-replicated and offline partitions) and the Actuator health of every
 * service it names — the controller, the instance that answered, each live broker — plus any given
 * with {@code --service}.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Show the cluster: controller and epoch, brokers, each service's health, under-replicated and "
                + "offline partitions (from the metadata-service REST API and the services' /actuator/health).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary cluster",
            "  tributary cluster --metadata-url http://meta-1:8090 --service group-coordinator=http://localhost:8091",
            "  tributary cluster --output json"
        })
public final class ClusterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(
            names = "--service",
            paramLabel = "NAME=URL",
            description = "Another service whose health to show (its HTTP base URL), e.g. "
                    + "group-coordinator=http://localhost:8091; repeatable.")
    Map<String, String> extraServices = new LinkedHashMap<>();

    /** A service row; {@code kafka} is host:port for brokers only. */
    record ServiceHealth(String service, String id, String http, String kafka, String health) {}

    record PartitionRef(String topic, int partition) {}

    @Override
    public Integer call() {
        RestClient rest = client.restClient("is the metadata-service running? see --metadata-url");
        JsonNode cluster = rest.get(client.metadataUrl() + "/api/cluster");

        // the cluster serves HTTPS everywhere or nowhere: the other services take --metadata-url's scheme
        String scheme = URI.create(client.metadataUrl()).getScheme() + "://";
        List<String[]> targets = new ArrayList<>(); // service, id, http base URL, kafka address
        JsonNode controller = cluster.path("controller");
        String controllerId =
                controller.isObject() ? controller.path("instanceId").asString() : null;
        if (controllerId != null) {
            targets.add(new String[] {
                "metadata-service",
                controllerId + " (controller)",
                scheme + controller.path("host").asString() + ":"
                        + controller.path("httpPort").asInt(),
                null
            });
        }
        String answered = cluster.path("instanceId").asString("");
        if (!answered.equals(controllerId)) {
            targets.add(
                    new String[] {"metadata-service", answered.isEmpty() ? "?" : answered, client.metadataUrl(), null});
        }
        for (JsonNode broker : cluster.path("liveBrokers")) {
            String host = broker.path("host").asString();
            targets.add(new String[] {
                "broker",
                broker.path("id").asString(),
                scheme + host + ":" + broker.path("httpPort").asInt(),
                host + ":" + broker.path("kafkaPort").asInt()
            });
        }
        extraServices.forEach((name, url) ->
                targets.add(new String[] {name, "-", url.endsWith("/") ? url.substring(0, url.length() - 1) : url, null
                }));

        List<CompletableFuture<String>> health =
                targets.stream().map(t -> rest.health(t[2])).toList();
        List<ServiceHealth> services = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            String[] t = targets.get(i);
            services.add(new ServiceHealth(t[0], t[1], t[2], t[3], health.get(i).join()));
        }
        List<PartitionRef> underReplicated = refs(cluster.path("underReplicatedPartitions"));
        List<PartitionRef> offline = refs(cluster.path("offlinePartitions"));

        Output out = client.output(spec);
        if (out.isJson()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("controller", controllerId);
            json.put("controllerEpoch", cluster.path("controllerEpoch").asInt());
            json.put("liveBrokers", cluster.path("liveBrokers").size());
            json.put("topicCount", cluster.path("topicCount").asInt());
            json.put("partitionCount", cluster.path("partitionCount").asInt());
            json.put("services", services);
            json.put("underReplicatedPartitions", underReplicated);
            json.put("offlinePartitions", offline);
            out.json(json);
            return ExitCodes.OK;
        }
        out.line("Controller:       " + (controllerId == null ? "none elected" : controllerId) + " (controller epoch "
                + cluster.path("controllerEpoch").asInt() + ")");
        out.line("Live brokers:     " + cluster.path("liveBrokers").size());
        out.line("Topics:           " + cluster.path("topicCount").asInt() + " ("
                + cluster.path("partitionCount").asInt() + " partitions)");
        out.line("");
        Table table = new Table("SERVICE", "ID", "HTTP", "KAFKA", "HEALTH");
        services.forEach(s -> table.row(s.service(), s.id(), s.http(), s.kafka(), s.health()));
        out.table(table);
        out.line("");
        out.line("Under-replicated partitions: " + describe(underReplicated));
        out.line("Offline partitions:          " + describe(offline));
        return ExitCodes.OK;
    }

    private static List<PartitionRef> refs(JsonNode array) {
        List<PartitionRef> refs = new ArrayList<>();
        for (JsonNode ref : array) {
            refs.add(new PartitionRef(
                    ref.path("topic").asString(), ref.path("partition").asInt()));
        }
        return refs;
    }

    private static String describe(List<PartitionRef> refs) {
        if (refs.isEmpty()) {
            return "none";
        }
        return refs.size() + " ("
                + String.join(
                        ", ",
                        refs.stream().map(r -> r.topic() + "-" + r.partition()).toList()) + ")";
    }
}
