package io.tributary.broker.server.handler;

import io.tributary.broker.admin.MetadataServiceBodies.TopicConfigEntry;
import io.tributary.broker.admin.MetadataServiceClient;
import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.common.config.TopicConfigs;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * DescribeConfigs for topics and for this broker.
 * <ul>
 * <li>TOPIC: the effective configuration from metadata-service
 * ({@code GET /api/topics/{name}/configs}): overrides with source TOPIC_CONFIG, every other
 * known config with its default and source DEFAULT_CONFIG.</li>
 * <li>BROKER: this broker's static settings ({@code broker.id}, {@code log.dirs},
 * {@code min.insync.replicas}, ...), read-only with source STATIC_BROKER_CONFIG. The
 * AdminClient sends a broker's resource to that broker; another broker's id is
 * INVALID_REQUEST, as in Kafka. The empty name (cluster defaults) answers the same settings.</li>
 * <li>Other resource types: INVALID_REQUEST.</li>
 * </ul>
 * {@code configurationKeys} filters (null or empty: all); synonyms (v1+) list the value's
 * sources in precedence order (an override, then the default it hides); documentation (v3+) is
 * Kafka's text for topic configs.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.DESCRIBE_CONFIGS, resource = ResourceType.TOPIC),
            @Acl(operation = AclOperation.DESCRIBE_CONFIGS, resource = ResourceType.CLUSTER)
        },
        note =
                "DESCRIBE_CONFIGS on a topic (TOPIC_AUTHORIZATION_FAILED), on the cluster for a broker (CLUSTER_AUTHORIZATION_FAILED)")
@Component
class DescribeConfigsHandler implements ApiHandler {

    private final MetadataServiceClient metadataService;
    private final BrokerProperties properties;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    DescribeConfigsHandler(MetadataServiceClient metadataService, BrokerProperties properties) {
        this.metadataService = metadataService;
        this.properties = properties;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DescribeConfigsRequestData data =
                request.body(DescribeConfigsRequest.class).data();
        boolean synonyms = request.apiVersion() >= 1 && data.includeSynonyms();
        boolean documentation = request.apiVersion() >= 3 && data.includeDocumentation();
        List<CompletableFuture<DescribeConfigsResult>> results = new ArrayList<>();
        for (DescribeConfigsResource resource : data.resources()) {
            Errors denied = authorizer.configsError(
                    request, AclOperation.DESCRIBE_CONFIGS, resource.resourceType(), resource.resourceName());
            if (denied != Errors.NONE) {
                results.add(CompletableFuture.completedFuture(new DescribeConfigsResult()
                        .setResourceType(resource.resourceType())
                        .setResourceName(resource.resourceName())
                        .setErrorCode(denied.code())));
                continue;
            }
            results.add(describe(request, resource, synonyms, documentation));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    DescribeConfigsResponseData response = new DescribeConfigsResponseData();
                    results.forEach(result -> response.results().add(result.join()));
                    return HandlerResult.respond(new DescribeConfigsResponse(response));
                });
    }

    private CompletableFuture<DescribeConfigsResult> describe(
            DecodedRequest request, DescribeConfigsResource resource, boolean synonyms, boolean documentation) {
        DescribeConfigsResult result = new DescribeConfigsResult()
                .setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName());
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        if (type == ConfigResource.Type.TOPIC) {
            return metadataService
                    .topicConfigs(resource.resourceName(), AdminErrors.DEFAULT_TIMEOUT)
                    .handle((entries, failure) -> failure == null
                            ? result.setErrorCode(Errors.NONE.code())
                                    .setConfigs(topicConfigs(
                                            entries, resource.configurationKeys(), synonyms, documentation))
                            : failed(result, AdminErrors.of(request, "topic " + resource.resourceName(), failure)));
        }
        if (type == ConfigResource.Type.BROKER) {
            String name = resource.resourceName();
            if (!name.isEmpty() && !name.equals(Integer.toString(properties.id()))) {
                return CompletableFuture.completedFuture(failed(
                        result,
                        new ApiError(
                                Errors.INVALID_REQUEST,
                                "Unexpected broker id, expected " + properties.id() + " or empty string, but received "
                                        + name)));
            }
            return CompletableFuture.completedFuture(result.setErrorCode(Errors.NONE.code())
                    .setConfigs(brokerConfigs(resource.configurationKeys(), synonyms)));
        }
        return CompletableFuture.completedFuture(failed(
                result,
                new ApiError(Errors.INVALID_REQUEST, "Tributary does not describe configs of resource type " + type)));
    }

    private static List<DescribeConfigsResourceResult> topicConfigs(
            List<TopicConfigEntry> entries, List<String> keys, boolean includeSynonyms, boolean includeDocumentation) {
        List<DescribeConfigsResourceResult> configs = new ArrayList<>();
        for (TopicConfigEntry entry : entries) {
            if (!wanted(keys, entry.name())) {
                continue;
            }
            ConfigSource source = entry.isOverride() ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG;
            var known = TopicConfigs.entry(entry.name());
            DescribeConfigsResourceResult config = new DescribeConfigsResourceResult()
                    .setName(entry.name())
                    .setValue(entry.value())
                    .setReadOnly(false)
                    .setIsSensitive(false)
                    .setConfigSource(source.id())
                    .setConfigType(configType(entry.type()).id());
            if (includeSynonyms) {
                config.synonyms().add(synonym(entry.name(), entry.value(), source));
                if (entry.isOverride() && known.isPresent()) {
                    config.synonyms()
                            .add(synonym(entry.name(), known.get().defaultValue(), ConfigSource.DEFAULT_CONFIG));
                }
            }
            if (includeDocumentation) {
                config.setDocumentation(
                        known.map(TopicConfigs.Entry::documentation).orElse(null));
            }
            configs.add(config);
        }
        return configs;
    }

    /** One static broker setting as DescribeConfigs reports it. */
    private record BrokerSetting(String name, String value, ConfigType type) {}

    private List<BrokerSetting> brokerSettings() {
        return List.of(
                new BrokerSetting("broker.id", Integer.toString(properties.id()), ConfigType.INT),
                new BrokerSetting("broker.rack", properties.rackOrNull(), ConfigType.STRING),
                new BrokerSetting("log.dirs", String.join(",", properties.logDirs()), ConfigType.STRING),
                new BrokerSetting(
                        "auto.create.topics.enable",
                        Boolean.toString(properties.autoCreateTopicsEnable()),
                        ConfigType.BOOLEAN),
                new BrokerSetting(
                        "min.insync.replicas", Integer.toString(properties.minInsyncReplicas()), ConfigType.INT),
                new BrokerSetting("num.network.threads", Integer.toString(properties.ioThreads()), ConfigType.INT),
                new BrokerSetting(
                        "socket.request.max.bytes",
                        Long.toString(Math.min(
                                Integer.MAX_VALUE,
                                properties.socketRequestMaxBytes().toBytes())),
                        ConfigType.INT),
                new BrokerSetting(
                        "log.retention.check.interval.ms",
                        Long.toString(properties.logRetentionCheckInterval().toMillis()),
                        ConfigType.LONG));
    }

    private List<DescribeConfigsResourceResult> brokerConfigs(List<String> keys, boolean includeSynonyms) {
        List<DescribeConfigsResourceResult> configs = new ArrayList<>();
        for (BrokerSetting setting : brokerSettings()) {
            if (!wanted(keys, setting.name())) {
                continue;
            }
            DescribeConfigsResourceResult config = new DescribeConfigsResourceResult()
                    .setName(setting.name())
                    .setValue(setting.value())
                    .setReadOnly(true)
                    .setIsSensitive(false)
                    .setConfigSource(ConfigSource.STATIC_BROKER_CONFIG.id())
                    .setConfigType(setting.type().id());
            if (includeSynonyms) {
                config.synonyms().add(synonym(setting.name(), setting.value(), ConfigSource.STATIC_BROKER_CONFIG));
            }
            configs.add(config);
        }
        return configs;
    }

    /** Whether {@code name} was asked for: a null or empty key list means every config, as in Kafka. */
    private static boolean wanted(List<String> keys, String name) {
        return keys == null || keys.isEmpty() || keys.contains(name);
    }

    private static DescribeConfigsSynonym synonym(String name, String value, ConfigSource source) {
        return new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source.id());
    }

    private static ConfigType configType(String type) {
        if (type == null) {
            return ConfigType.UNKNOWN;
        }
        try {
            return ConfigType.valueOf(type);
        } catch (IllegalArgumentException e) {
            return ConfigType.UNKNOWN;
        }
    }

    private static DescribeConfigsResult failed(DescribeConfigsResult result, ApiError error) {
        return result.setErrorCode(error.error().code())
                .setErrorMessage(error.message())
                .setConfigs(List.of());
    }
}
