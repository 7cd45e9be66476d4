package io.tributary.metadata.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.tributary.metadata.controller.ClusterController;
import io.tributary.metadata.controller.ControllerHealthIndicator;
import io.tributary.metadata.store.ClusterView;
import io.tributary.metadata.store.ControllerEpochStore;
import io.tributary.metadata.store.MetadataStore;
import io.tributary.metadata.store.PartitionStateStore;
import io.tributary.metadata.topic.ReplicaAssigner;
import io.tributary.metadata.topic.TopicAdmin;
import java.util.Random;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Wires the metadata-service over the Curator client Spring Cloud Zookeeper provides; joins the
 * controller election once the HTTP port is known (it goes into {@code /controller}).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Tributary metadata-service",
                        description =
                                "Topics, replica assignment, controller and leader election of a Tributary cluster. "
                                        + "Errors are RFC 7807 problems with Kafka's errorCode and error name.",
                        version = "v1"))
class MetadataConfiguration {

    @Bean
    MetadataStore metadataStore(CuratorFramework curator) {
        return new MetadataStore(curator);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    ClusterView clusterView(CuratorFramework curator) {
        return new ClusterView(curator);
    }

    @Bean(destroyMethod = "close")
    ClusterController clusterController(
            CuratorFramework curator, MetadataStore store, ClusterView view, MetadataProperties properties) {
        return new ClusterController(
                store,
                new PartitionStateStore(curator),
                new ControllerEpochStore(curator),
                view,
                properties.autoLeaderRebalanceEnable(),
                properties.leaderImbalanceCheckInterval(),
                properties.requestTimeout());
    }

    @Bean
    TopicAdmin topicAdmin(MetadataStore store, MetadataProperties properties) {
        return new TopicAdmin(
                store,
                new ReplicaAssigner(new Random()),
                properties.numPartitions(),
                properties.defaultReplicationFactor(),
                properties.topicReadyTimeout());
    }

    @Bean(name = "controller")
    ControllerHealthIndicator controllerHealthIndicator(ClusterController controller, ClusterView view) {
        return new ControllerHealthIndicator(controller, view);
    }

    /** Kafka's ActiveControllerCount, OfflinePartitionsCount and UnderReplicatedPartitions. */
    @Bean
    MeterBinder clusterMetrics(ClusterController controller, ClusterView view) {
        return registry -> {
            Gauge.builder("tributary.controller.active", controller, c -> c.isActive() ? 1 : 0)
                    .description("1 while this instance is the controller")
                    .register(registry);
            Gauge.builder(
                            "tributary.partitions.offline",
                            view,
                            v -> v.partitionHealth().offline().size())
                    .description("Partitions without a leader")
                    .register(registry);
            Gauge.builder(
                            "tributary.partitions.under.replicated",
                            view,
                            v -> v.partitionHealth().underReplicated().size())
                    .description("Partitions whose ISR is smaller than their replica list")
                    .register(registry);
        };
    }

    @EventListener
    void onWebServerStarted(WebServerInitializedEvent event) throws Exception {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return;
        }
        MetadataProperties properties = event.getApplicationContext().getBean(MetadataProperties.class);
        int port = event.getWebServer().getPort();
        event.getApplicationContext()
                .getBean(ClusterController.class)
                .start(properties.instanceIdOr(port), properties.host(), port);
    }
}
