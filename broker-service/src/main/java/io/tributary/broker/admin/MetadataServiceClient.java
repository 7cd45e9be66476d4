package io.tributary.broker.admin;

import io.tributary.broker.admin.MetadataServiceBodies.ConfigChanges;
import io.tributary.broker.admin.MetadataServiceBodies.NewTopic;
import io.tributary.broker.admin.MetadataServiceBodies.PartitionIncrease;
import io.tributary.broker.admin.MetadataServiceBodies.TopicConfigEntry;
import io.tributary.broker.admin.MetadataServiceBodies.TopicConfigs;
import io.tributary.broker.admin.MetadataServiceBodies.TopicDescription;
import io.tributary.common.http.ServiceHttpTls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The broker's client of metadata-service's topic REST API: how the admin APIs a Kafka client
 * sends to a broker (CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs and
 * IncrementalAlterConfigs on topics) reach the service that owns topic metadata.
 *
 * <p><b>Which instance.</b> Every metadata-service instance accepts admin writes (each is one
 * compare-and-set transaction in ZooKeeper), so any live instance from discovery will do. The
 * list is rotated per call to spread the load; when an instance refuses the connection the call
 * moves on to the next one. Only failures that prove the request was never sent (connection
 * refused, connect timeout, unresolvable host) move on: a POST that may have reached an
 * instance is never sent twice.
 *
 * <p><b>Errors.</b> Every call completes exceptionally with a Kafka {@link ApiException}, so
 * handlers turn it into an error code with {@code Errors.forException}:
 * <ul>
 * <li>an {@code application/problem+json} answer carries metadata-service's {@code errorCode}
 * (the Kafka code), which is rebuilt with the problem's {@code detail} as message;</li>
 * <li>no instance in discovery, or none reachable: {@code NOT_CONTROLLER}. It is retriable: the
 * AdminClient refreshes its metadata and re-sends CreateTopics, DeleteTopics and
 * CreatePartitions until its own timeout, as it does while a Kafka controller fails over;</li>
 * <li>no answer within the timeout: {@code REQUEST_TIMED_OUT} (the change may or may not have
 * happened, as with Kafka's controller);</li>
 * <li>any other transport failure: {@code NETWORK_EXCEPTION}; a non-problem error answer:
 * {@code INVALID_REQUEST} for 4xx, {@code UNKNOWN_SERVER_ERROR} otherwise.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Never blocks its caller: the discovery look-up (a ZooKeeper read) runs on
 * the client's own small pool and the HTTP exchange is asynchronous; futures complete on that
 * pool. Thread-safe.
 */
public final class MetadataServiceClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataServiceClient.class);
    private static final String TOPICS = "/api/topics";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Time allowed on top of a call's HTTP timeout for finding the instances. */
    private static final Duration DEFAULT_LOOKUP_ALLOWANCE = Duration.ofSeconds(5);

    /**
     * Where metadata-service instances are: their base URIs ({@code http://host:port} or {@code https://…}). May block
     * (a ZooKeeper read); called on the client's pool, never on a caller's thread.
     */
    @FunctionalInterface
    public interface InstanceLocator {
        List<URI> instances() throws Exception;
    }

    private final InstanceLocator locator;
    private final ExecutorService executor;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final AtomicInteger rotation = new AtomicInteger();
    private final Duration lookupAllowance;
    private final Optional<String> authorization;

    public MetadataServiceClient(InstanceLocator locator) {
        this(locator, Optional.empty());
    }

    /**
     * @param authorization an HTTP {@code Authorization} header value sent with every call, for a
     *                      metadata-service with {@code tributary.http.security.enabled}
     */
    public MetadataServiceClient(InstanceLocator locator, Optional<String> authorization) {
        this(locator, authorization, ServiceHttpTls.plain());
    }

    /**
     * @param authorization as above
     * @param tls           the TLS context for {@code https://} instances (the locator gives them
     *                      with that scheme)
     */
    public MetadataServiceClient(InstanceLocator locator, Optional<String> authorization, ServiceHttpTls tls) {
        this(locator, DEFAULT_LOOKUP_ALLOWANCE, authorization, tls);
    }

    MetadataServiceClient(InstanceLocator locator, Duration lookupAllowance) {
        this(locator, lookupAllowance, Optional.empty(), ServiceHttpTls.plain());
    }

    private MetadataServiceClient(
            InstanceLocator locator, Duration lookupAllowance, Optional<String> authorization, ServiceHttpTls tls) {
        this.locator = locator;
        this.lookupAllowance = lookupAllowance;
        this.authorization = authorization;
        this.executor =
                Executors.newFixedThreadPool(2, ThreadUtils.createThreadFactory("metadata-service-client-%d", true));
        this.http = tls.configure(HttpClient.newBuilder())
                .executor(executor)
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Creates a topic (or only validates the request); answers its description. */
    public CompletableFuture<TopicDescription> createTopic(NewTopic request, Duration timeout) {
        return exchange("POST", TOPICS, request, timeout).thenApply(body -> read(body, TopicDescription.class));
    }

    /** Deletes a topic. */
    public CompletableFuture<Void> deleteTopic(String name, Duration timeout) {
        return exchangeOnTopic("DELETE", name, "", null, timeout).thenApply(body -> null);
    }

    /** Raises a topic's partition count (or only validates it); answers the topic afterwards. */
    public CompletableFuture<TopicDescription> createPartitions(
            String name, PartitionIncrease request, Duration timeout) {
        return exchangeOnTopic("POST", name, "/partitions", request, timeout)
                .thenApply(body -> read(body, TopicDescription.class));
    }

    /** A topic's effective configuration: every known config with its source. */
    public CompletableFuture<List<TopicConfigEntry>> topicConfigs(String name, Duration timeout) {
        return exchangeOnTopic("GET", name, "/configs", null, timeout)
                .thenApply(body -> configsOf(read(body, TopicConfigs.class)));
    }

    /** Sets and removes a topic's config overrides (or only validates); answers the effective configuration. */
    public CompletableFuture<List<TopicConfigEntry>> alterTopicConfigs(
            String name, Map<String, String> set, List<String> delete, boolean validateOnly, Duration timeout) {
        return exchangeOnTopic("PATCH", name, "/configs", new ConfigChanges(set, delete, validateOnly), timeout)
                .thenApply(body -> configsOf(read(body, TopicConfigs.class)));
    }

    private static List<TopicConfigEntry> configsOf(TopicConfigs configs) {
        return configs.configs() == null ? List.of() : configs.configs();
    }

    /** A call on one topic; the name is validated first, so that it is safe in a URI path. */
    private CompletableFuture<String> exchangeOnTopic(
            String method, String name, String suffix, Object body, Duration timeout) {
        if (name == null) {
            return CompletableFuture.failedFuture(new InvalidTopicException("Topic name is required"));
        }
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            return CompletableFuture.failedFuture(e);
        }
        return exchange(method, TOPICS + "/" + name + suffix, body, timeout);
    }

    // ---------------------------------------------------------------------------------------
    // Transport

    /** Sends one request to some instance; completes with the 2xx body or a Kafka {@link ApiException}. */
    private CompletableFuture<String> exchange(String method, String path, Object body, Duration timeout) {
        byte[] payload;
        try {
            payload = body == null ? null : json.writeValueAsBytes(body);
        } catch (JacksonException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<List<URI>> located;
        try {
            located = CompletableFuture.supplyAsync(this::locate, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new NotControllerException("The broker is shutting down"));
        }
        // the bound also covers a discovery look-up stuck while ZooKeeper is away
        long deadlineMs = timeout.plus(lookupAllowance).toMillis();
        return located.thenCompose(instances -> attempt(instances, 0, method, path, payload, timeout))
                .orTimeout(deadlineMs, TimeUnit.MILLISECONDS)
                .exceptionally(failure -> {
                    Throwable cause = unwrap(failure);
                    if (cause instanceof java.util.concurrent.TimeoutException) {
                        throw new TimeoutException("No answer from metadata-service to " + method + " " + path
                                + " within " + deadlineMs + " ms");
                    }
                    throw failure instanceof CompletionException completion
                            ? completion
                            : new CompletionException(failure);
                });
    }

    private List<URI> locate() {
        List<URI> instances;
        try {
            instances = locator.instances();
        } catch (Exception e) {
            throw new NotControllerException("Could not look up metadata-service instances: " + e);
        }
        if (instances == null || instances.isEmpty()) {
            throw new NotControllerException("No metadata-service instance is registered");
        }
        List<URI> rotated = new ArrayList<>(instances);
        Collections.rotate(rotated, Math.floorMod(rotation.getAndIncrement(), rotated.size()));
        return rotated;
    }

    private CompletableFuture<String> attempt(
            List<URI> instances, int index, String method, String path, byte[] payload, Duration timeout) {
        URI uri = instances.get(index).resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json, application/problem+json");
        authorization.ifPresent(value -> request.header("Authorization", value));
        if (payload == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(bodyOrError(method, uri, response));
                    }
                    Throwable cause = unwrap(failure);
                    if (neverSent(cause) && index + 1 < instances.size()) {
                        log.warn(
                                "metadata-service at {} unreachable ({}); trying {}",
                                instances.get(index),
                                cause,
                                instances.get(index + 1));
                        return attempt(instances, index + 1, method, path, payload, timeout);
                    }
                    return CompletableFuture.<String>failedFuture(transportFailure(method, uri, cause, timeout));
                })
                .thenCompose(Function.identity());
    }

    private String bodyOrError(String method, URI uri, HttpResponse<String> response) {
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        ApiException error = errorOf(response.statusCode(), response.body());
        log.debug("{} {} answered {}: {}", method, uri, response.statusCode(), error.toString());
        throw error;
    }

    /**
     * The Kafka error an error answer stands for: the problem's {@code errorCode} when it has one,
     * else one chosen by the HTTP status.
     */
    static ApiException errorOf(int status, String body) {
        String message = "metadata-service answered HTTP " + status;
        Errors error = null;
        try {
            JsonNode problem =
                    body == null || body.isBlank() ? null : JsonMapper.shared().readTree(body);
            if (problem != null && problem.isObject()) {
                JsonNode code = problem.get("errorCode");
                if (code != null && code.isIntegralNumber()) {
                    error = Errors.forCode((short) code.asInt());
                }
                JsonNode detail = problem.hasNonNull("detail") ? problem.get("detail") : problem.get("title");
                if (detail != null && detail.isString()) {
                    message = detail.asString();
                }
            }
        } catch (JacksonException e) {
            // not JSON: fall back on the status
        }
        if (error == null || error == Errors.NONE) {
            error = switch (status) {
                case 408, 504 -> Errors.REQUEST_TIMED_OUT;
                case 503 -> Errors.NOT_CONTROLLER;
                // the broker's own login was refused (tributary.broker.security.sasl.inter-broker-*)
                case 401, 403 -> Errors.CLUSTER_AUTHORIZATION_FAILED;
                default -> status / 100 == 4 ? Errors.INVALID_REQUEST : Errors.UNKNOWN_SERVER_ERROR;
            };
        }
        return error.exception(message);
    }

    private static ApiException transportFailure(String method, URI uri, Throwable cause, Duration timeout) {
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
            return new TimeoutException("metadata-service did not answer " + method + " " + uri.getPath() + " within "
                    + timeout.toMillis() + " ms");
        }
        if (neverSent(cause)) {
            return new NotControllerException("No metadata-service instance reachable (last tried " + uri.getHost()
                    + ":" + uri.getPort() + ": " + cause + ")");
        }
        if (cause instanceof IOException) {
            return new NetworkException("Lost the connection to metadata-service at " + uri.getHost() + ":"
                    + uri.getPort() + " during " + method + " " + uri.getPath() + ": " + cause.getMessage());
        }
        log.error("{} {} failed unexpectedly", method, uri, cause);
        return Errors.UNKNOWN_SERVER_ERROR.exception("Could not reach metadata-service: " + cause);
    }

    /** Failures that prove the request never left this broker, so another instance may be tried. */
    private static boolean neverSent(Throwable cause) {
        return cause instanceof ConnectException
                || cause instanceof HttpConnectTimeoutException
                || cause instanceof UnresolvedAddressException
                || cause instanceof IOException && cause.getCause() instanceof UnresolvedAddressException;
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (JacksonException e) {
            throw Errors.UNKNOWN_SERVER_ERROR.exception("Unreadable answer from metadata-service: " + e.getMessage());
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
