package io.tributary.metadata.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.metadata.api.ApiBodies.AlterConfigsRequest;
import io.tributary.metadata.api.ApiBodies.CreatePartitionsRequest;
import io.tributary.metadata.api.ApiBodies.CreateTopicRequest;
import io.tributary.metadata.api.ApiBodies.TopicConfigsResponse;
import io.tributary.metadata.topic.TopicAdmin;
import io.tributary.metadata.topic.TopicDescription;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Topic administration over HTTP; any instance serves it. */
@RestController
@RequestMapping("/api/topics")
@Tag(name = "topics")
class TopicsApi {

    private final TopicAdmin topics;

    TopicsApi(TopicAdmin topics) {
        this.topics = topics;
    }

    @GetMapping
    @Operation(summary = "List topic names, or full descriptions with describe=true")
    List<?> list(@RequestParam(defaultValue = "false") boolean describe) throws Exception {
        List<String> names = topics.list();
        if (!describe) {
            return names;
        }
        List<TopicDescription> descriptions = new ArrayList<>();
        for (String name : names) {
            try {
                descriptions.add(topics.describe(name));
            } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
                // deleted meanwhile
            }
        }
        return descriptions;
    }

    @PostMapping
    @Operation(summary = "Create a topic (201), or only validate the request (200 with validateOnly)")
    ResponseEntity<TopicDescription> create(@RequestBody CreateTopicRequest request) throws Exception {
        boolean validateOnly = Boolean.TRUE.equals(request.validateOnly());
        TopicDescription created = topics.create(new TopicAdmin.NewTopic(
                request.name(),
                request.partitions(),
                request.replicationFactor(),
                request.assignment(),
                request.configs(),
                validateOnly));
        return ResponseEntity.status(validateOnly ? HttpStatus.OK : HttpStatus.CREATED)
                .body(created);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Describe a topic: partitions with replicas, leader, leader epoch and ISR")
    TopicDescription describe(@PathVariable String name) throws Exception {
        return topics.describe(name);
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Delete a topic; it disappears from metadata at once and brokers delete its logs")
    ResponseEntity<Void> delete(@PathVariable String name) throws Exception {
        topics.delete(name);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{name}/partitions")
    @Operation(summary = "Increase the partition count")
    TopicDescription createPartitions(@PathVariable String name, @RequestBody CreatePartitionsRequest request)
            throws Exception {
        return topics.createPartitions(
                name, request.totalCount(), request.assignment(), Boolean.TRUE.equals(request.validateOnly()));
    }

    @GetMapping("/{name}/configs")
    @Operation(summary = "Effective configuration: overrides (source TOPIC) and defaults (source DEFAULT)")
    TopicConfigsResponse configs(@PathVariable String name) throws Exception {
        return new TopicConfigsResponse(name, topics.configs(name));
    }

    @PatchMapping("/{name}/configs")
    @Operation(summary = "Set and remove config overrides")
    TopicConfigsResponse alterConfigs(@PathVariable String name, @RequestBody AlterConfigsRequest request)
            throws Exception {
        return new TopicConfigsResponse(
                name,
                topics.alterConfigs(
                        name, request.set(), request.delete(), Boolean.TRUE.equals(request.validateOnly())));
    }
}
