package io.tributary.metadata.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.common.zk.BrokerRegistration;
import io.tributary.metadata.api.ApiBodies.ClusterResponse;
import io.tributary.metadata.api.ApiBodies.ControllerInfo;
import io.tributary.metadata.api.ApiBodies.PartitionRef;
import io.tributary.metadata.controller.ClusterController;
import io.tributary.metadata.store.ClusterView;
import io.tributary.metadata.store.MetadataStore;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Brokers and the cluster overview. */
@RestController
@RequestMapping("/api")
@Tag(name = "cluster")
class ClusterApi {

    private final MetadataStore store;
    private final ClusterView view;
    private final ClusterController controller;

    ClusterApi(MetadataStore store, ClusterView view, ClusterController controller) {
        this.store = store;
        this.view = view;
        this.controller = controller;
    }

    @GetMapping("/brokers")
    @Operation(summary = "Live brokers, from their /brokers/ids registrations")
    List<BrokerRegistration> brokers() throws Exception {
        return store.liveBrokers();
    }

    @GetMapping("/cluster")
    @Operation(summary = "Controller, controller epoch, live brokers, under-replicated and offline partitions")
    ClusterResponse cluster() throws Exception {
        ControllerInfo current = store.controller()
                .map(c -> new ControllerInfo(c.instanceId(), c.controllerEpoch(), c.host(), c.httpPort()))
                .orElse(null);
        ClusterView.PartitionHealth health = view.partitionHealth();
        return new ClusterResponse(
                current,
                store.controllerEpoch(),
                controller.instanceId(),
                controller.isActive(),
                store.liveBrokers(),
                view.topics().size(),
                health.partitions(),
                refs(health.underReplicated()),
                refs(health.offline()));
    }

    private static List<PartitionRef> refs(List<TopicPartition> partitions) {
        return partitions.stream()
                .map(tp -> new PartitionRef(tp.topic(), tp.partition()))
                .toList();
    }
}
