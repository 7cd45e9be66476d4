package io.tributary.common.testing;

import static io.tributary.common.testing.ServiceTestSupport.get;
import static io.tributary.common.testing.ServiceTestSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.zk.ZkPaths;
import io.tributary.curator.CuratorSessionWatchdog;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What every Tributary service must do on a real ZooKeeper: register in discovery, report UP
 * with a ZooKeeper contributor, watch its session with a {@link CuratorSessionWatchdog}, serve
 * Prometheus metrics, and report DOWN (not ready, still live)
 * once ZooKeeper is gone. A service's test extends this as a {@code @SpringBootTest} on a random
 * port, owns the {@link TestingServer} (closed after the context, see {@link ZookeeperExtension})
 * and may add tests of its own between the two orders.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ServiceStartupContract {

    @LocalServerPort
    protected int httpPort;

    @Autowired
    protected CuratorFramework curator;

    @Autowired
    protected CuratorSessionWatchdog sessionWatchdog;

    /** The Spring Cloud Zookeeper service name. */
    protected abstract String serviceName();

    /** The ZooKeeper the service under test talks to; this contract stops it last. */
    protected abstract TestingServer zookeeper();

    @Test
    @Order(1)
    void shouldRegisterInDiscoveryAndReportUp() throws Exception {
        assertThat(curator.getNamespace()).isEqualTo("tributary");
        assertThat(sessionWatchdog)
                .as("the session watchdog of the service's Curator client")
                .isNotNull();
        assertThat(curator.getChildren().forPath(ZkPaths.service(serviceName())))
                .hasSize(1);

        var health = get(httpPort, "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"zookeeperSession\":{").contains("\"status\":\"UP\"");
        assertThat(get(httpPort, "/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(get(httpPort, "/actuator/info").body()).contains(serviceName());
        assertThat(get(httpPort, "/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldReportDownWhenZookeeperStops() throws Exception {
        zookeeper().stop();

        var health = pollUntil(
                httpPort, "/actuator/health", response -> response.statusCode() == 503, Duration.ofSeconds(15));

        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"DOWN\"");
        assertThat(get(httpPort, "/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(get(httpPort, "/actuator/health/liveness").statusCode()).isEqualTo(200);

        // back for the context's close: without its ZooKeeper a service retries its
        // deregistrations for seconds before it stops
        zookeeper().restart();
    }
}
