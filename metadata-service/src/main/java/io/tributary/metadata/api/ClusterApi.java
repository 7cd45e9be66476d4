package io.tributary.metadata.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.PartitionState;
import io.tributary.common.zk.TopicRecord;
import io.tributary.metadata.api.ApiBodies.ClusterResponse;
import io.tributary.metadata.api.ApiBodies.ControllerInfo;
import io.tributary.metadata.api.ApiBodies.PartitionRef;
import io.tributary.metadata.controller.ClusterController;
import io.tributary.metadata.store.ClusterView;
import io.tributary.metadata.store.MetadataStore;
import io.tributary.metadata.store.Versioned;

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
        List<PartitionRef> underReplicated = new ArrayList<>();
        List<PartitionRef> offline = new ArrayList<>();
        int partitions = 0;
        Map<String, TopicRecord> topics = view.topics();
        for (Map.Entry<String, TopicRecord> topic : topics.entrySet()) {
            for (Map.Entry<Integer, List<Integer>> partition : new java.util.TreeMap<>(
                    topic.getValue().partitions()).entrySet()) {
                partitions++;
                PartitionRef ref = new PartitionRef(topic.getKey(), partition.getKey());
                PartitionState state = view.partitionState(topic.getKey(), partition.getKey())
                        .map(Versioned::value).orElse(null);
                if (state == null || !state.isOnline()) {
                    offline.add(ref);
                } else if (state.isr().size() < partition.getValue().size()) {
                    underReplicated.add(ref);
                }
            }
        }
        return new ClusterResponse(current, store.controllerEpoch(), controller.instanceId(), controller.isActive(),
                store.liveBrokers(), topics.size(), partitions, underReplicated, offline);
    }
}
