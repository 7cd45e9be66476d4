package io.tributary.group.api;

import io.tributary.common.http.ServiceHttpTls;
import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.ownership.GroupOwnership;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Sends a REST call about a group this instance does not serve to the instance that does (as its
 * ownership znode names it), and returns that instance's answer as it is, so that a client may
 * call any coordinator. A forwarded call is never forwarded again: if ownership moved meanwhile,
 * the answer is {@code NOT_COORDINATOR} (503) and the caller retries. Thread-safe.
 */
@Component
class OwnerForwarder {

    /** The caller's name, recorded as the client id of the commits a reset makes. */
    static final String CLIENT_ID_HEADER = "Client-Id";

    /** Marks a forwarded call. */
    static final String FORWARDED_HEADER = "X-Tributary-Forwarded";

    private static final Duration TIMEOUT = Duration.ofSeconds(35);

    private final GroupOwnership ownership;
    private final ServiceHttpTls tls;
    private final HttpClient http;

    OwnerForwarder(GroupOwnership ownership, ServiceHttpTls tls) {
        this.ownership = ownership;
        this.tls = tls;
        this.http = tls.configure(HttpClient.newBuilder())
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    /** Whether this instance serves {@code group}. */
    boolean servesHere(String group) {
        return ownership.ownsGroup(group);
    }

    /**
     * POSTs {@code json} to {@code /api/groups/{group}/{suffix}} on the group's owner, with the
     * caller's client id and credentials (the owner authenticates the same user again: with HTTP
     * security on, the instances trust no one but ZooKeeper's users).
     */
    ResponseEntity<String> post(
            String group, String suffix, String json, String clientId, String authorization, boolean alreadyForwarded) {
        if (alreadyForwarded) {
            throw new NotCoordinatorException("This coordinator no longer serves group " + group + "; retry");
        }
        GroupPartitionOwner owner = ownership
                .ownerOf(group)
                .filter(o -> o.httpPort() > 0)
                .orElseThrow(() -> new CoordinatorNotAvailableException(
                        "No coordinator serves group " + group + " right now; retry"));
        URI uri = URI.create(tls.base(owner.host(), owner.httpPort()) + "/api/groups/"
                + URLEncoder.encode(group, StandardCharsets.UTF_8).replace("+", "%20") + "/" + suffix);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                .header(FORWARDED_HEADER, "true")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (clientId != null && !clientId.isBlank()) {
            request.header(CLIENT_ID_HEADER, clientId);
        }
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return ResponseEntity.status(response.statusCode())
                    .header(
                            HttpHeaders.CONTENT_TYPE,
                            response.headers()
                                    .firstValue(HttpHeaders.CONTENT_TYPE)
                                    .orElse(MediaType.APPLICATION_JSON_VALUE))
                    .body(response.body());
        } catch (IOException e) {
            throw new CoordinatorNotAvailableException(
                    "The coordinator serving group " + group + " (" + uri.getAuthority() + ") is unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorNotAvailableException("Interrupted while forwarding to " + uri.getAuthority());
        }
    }
}
