package io.tributary.metadata.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.common.http.ServiceHttpTls;
import io.tributary.common.zk.ControllerRecord;
import io.tributary.metadata.api.ApiBodies.ElectPreferredRequest;
import io.tributary.metadata.api.ApiBodies.ElectPreferredResponse;
import io.tributary.metadata.api.ApiBodies.ElectionResult;
import io.tributary.metadata.config.MetadataProperties;
import io.tributary.metadata.controller.ClusterController;
import io.tributary.metadata.store.MetadataStore;
import java.net.http.HttpClient;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotControllerException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Preferred-leader elections. Only the controller elects; another instance forwards the request
 * to the controller named in {@code /controller} (once: a forwarded request that reaches a
 * non-controller fails with NOT_CONTROLLER).
 */
@RestController
@RequestMapping("/api/elections")
@Tag(name = "elections")
class ElectionsApi {

    static final String FORWARDED_HEADER = "X-Tributary-Forwarded";

    private final ClusterController controller;
    private final MetadataStore store;
    private final RestClient restClient;
    private final ServiceHttpTls tls;

    ElectionsApi(ClusterController controller, MetadataStore store, MetadataProperties properties, ServiceHttpTls tls) {
        this.controller = controller;
        this.store = store;
        this.tls = tls;
        JdkClientHttpRequestFactory requestFactory =
                new JdkClientHttpRequestFactory(tls.configure(HttpClient.newBuilder())
                        .connectTimeout(properties.requestTimeout())
                        .build());
        requestFactory.setReadTimeout(properties.requestTimeout());
        this.restClient = RestClient.builder().requestFactory(requestFactory).build();
    }

    @PostMapping("/preferred")
    @Operation(
            summary = "Move leadership to the preferred replica (the first of each assignment) where it is in the ISR")
    ResponseEntity<?> electPreferred(
            @RequestBody(required = false) ElectPreferredRequest request,
            @RequestHeader(name = FORWARDED_HEADER, required = false) String forwarded)
            throws Exception {
        if (!controller.isActive()) {
            if (forwarded != null) {
                throw new NotControllerException("Instance " + controller.instanceId() + " is not the controller");
            }
            return forward(request);
        }
        Set<TopicPartition> partitions = null;
        if (request != null && request.partitions() != null) {
            partitions = new LinkedHashSet<>();
            for (ApiBodies.TopicPartitionRef ref : request.partitions()) {
                partitions.add(new TopicPartition(ref.topic(), ref.partition()));
            }
        }
        List<ElectionResult> results = controller.electPreferredLeaders(partitions).stream()
                .map(r -> new ElectionResult(
                        r.topic(), r.partition(), r.error().code(), r.error().name(), r.leader()))
                .toList();
        return ResponseEntity.ok(new ElectPreferredResponse(results));
    }

    private ResponseEntity<?> forward(ElectPreferredRequest request) throws Exception {
        ControllerRecord current =
                store.controller().orElseThrow(() -> new NotControllerException("No controller is elected"));
        try {
            return restClient
                    .post()
                    .uri(tls.base(current.host(), current.httpPort()).resolve("/api/elections/preferred"))
                    .header(FORWARDED_HEADER, controller.instanceId())
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(request == null ? new ElectPreferredRequest(null) : request)
                    .exchange((req, response) -> ResponseEntity.status(HttpStatusCode.valueOf(
                                    response.getStatusCode().value()))
                            .contentType(
                                    response.getHeaders().getContentType() == null
                                            ? MediaType.APPLICATION_JSON
                                            : response.getHeaders().getContentType())
                            .body(response.bodyTo(String.class)));
        } catch (RestClientException e) {
            throw new NotControllerException("The controller " + current.instanceId() + " at " + current.host() + ":"
                    + current.httpPort() + " could not be reached: " + e.getMessage());
        }
    }
}
