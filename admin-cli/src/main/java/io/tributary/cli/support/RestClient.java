package io.tributary.cli.support;

import io.tributary.cli.output.Output;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A small JSON-over-HTTP client for the services' REST APIs (metadata-service, group-coordinator)
 * and their Actuator health endpoints. A problem+json answer ({@code errorCode}, {@code error},
 * {@code detail}) becomes a {@link CliException} with the server's words. Thread-safe.
 */
public final class RestClient {

    private final HttpClient http;
    private final Duration timeout;

    private final String hint;
    private final Optional<String> authorization;

    /**
     * A client whose connection failures name {@code hint} (e.g. "is the metadata-service running?
     * see --metadata-url") and that sends {@code authorization} (an HTTP Basic header value) with
     * every API call, if present; {@code tls} trusts the services' CA for {@code https://} URLs
     * (default: the JDK's CAs).
     */
    public RestClient(Duration timeout, String hint, Optional<String> authorization, Optional<SSLContext> tls) {
        this.timeout = timeout;
        this.hint = hint;
        this.authorization = authorization;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        tls.ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /** GET {@code url} and parse the JSON body; any failure is a one-line {@link CliException}. */
    public JsonNode get(String url) {
        return send(url, request(url, true));
    }

    /** POST {@code body} as JSON to {@code url} and parse the JSON answer; failures as for {@link #get}. */
    public JsonNode post(String url, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Output.mapper().writeValueAsString(body)));
        headers.forEach(request::header);
        authorization.ifPresent(value -> request.header("Authorization", value));
        return send(url, request.build());
    }

    private JsonNode send(String url, HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "Cannot connect to " + url + " (" + hint + ")", e);
        } catch (HttpTimeoutException e) {
            throw new CliException(
                    ExitCodes.UNAVAILABLE, "No answer from " + url + " within " + DurationConverter.format(timeout), e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "Cannot reach " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "Interrupted", e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 300) {
            String detail = body.path("detail").asString(body.path("title").asString(""));
            String error = body.path("error").asString("HTTP " + response.statusCode());
            int code = switch (response.statusCode()) {
                case 404 -> ExitCodes.NOT_FOUND;
                case 400, 409 -> ExitCodes.INVALID;
                case 503, 504 -> ExitCodes.UNAVAILABLE;
                default -> ExitCodes.ERROR;
            };
            throw new CliException(
                    code,
                    url + " answered " + error + (detail.isEmpty() ? "" : ": " + detail)
                            + advice(response.statusCode()));
        }
        return body;
    }

    /** The Actuator health status of a service: UP, DOWN, ..., or UNREACHABLE. Never fails. */
    public CompletableFuture<String> health(String baseUrl) {
        return http.sendAsync(request(baseUrl + "/actuator/health", false), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    String status = parse(response.body()).path("status").asString("");
                    return status.isEmpty() ? "HTTP " + response.statusCode() : status;
                })
                .exceptionally(e -> "UNREACHABLE");
    }

    /** What to do about a refused login or a refused user. */
    private String advice(int status) {
        return switch (status) {
            case 401 ->
                authorization.isEmpty()
                        ? " (the service requires a login: pass --command-config with a sasl.jaas.config user and password)"
                        : " (the user or password in --command-config is not accepted)";
            case 403 -> " (the user in --command-config is not allowed to do this: a super user is)";
            default -> "";
        };
    }

    /** A GET; with the credentials for an API call, without them for health (which is open). */
    private HttpRequest request(String url, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET();
        if (authenticated) {
            authorization.ifPresent(value -> request.header("Authorization", value));
        }
        return request.build();
    }

    private static JsonNode parse(String body) {
        try {
            return Output.mapper().readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JacksonException e) {
            return Output.mapper().createObjectNode();
        }
    }
}
