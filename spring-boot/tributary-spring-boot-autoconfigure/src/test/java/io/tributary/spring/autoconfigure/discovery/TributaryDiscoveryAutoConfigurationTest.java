package io.tributary.spring.autoconfigure.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;

class TributaryDiscoveryAutoConfigurationTest {

    private static TestingServer zookeeper;
    private static CuratorFramework zk;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(TributaryDiscoveryAutoConfiguration.class, KafkaAutoConfiguration.class));

    @BeforeAll
    static void startZookeeper() throws Exception {
        zookeeper = new TestingServer(true);
        zk = CuratorFrameworkFactory.builder()
                .connectString(zookeeper.getConnectString())
                .namespace("tributary")
                .retryPolicy(new RetryOneTime(100))
                .build();
        zk.start();
        zk.blockUntilConnected();
    }

    @AfterAll
    static void stopZookeeper() throws Exception {
        zk.close();
        zookeeper.close();
    }

    @AfterEach
    void removeBrokers() throws Exception {
        if (zk.checkExists().forPath("/brokers/ids") != null) {
            for (String child : zk.getChildren().forPath("/brokers/ids")) {
                zk.delete().forPath("/brokers/ids/" + child);
            }
        }
    }

    private static void register(int id, int port) throws Exception {
        String json = "{\"id\":" + id + ",\"host\":\"localhost\",\"kafkaPort\":" + port
                + ",\"httpPort\":8081,\"rack\":null,\"startedAt\":1,\"someFutureField\":true}";
        zk.create()
                .creatingParentsIfNeeded()
                .withMode(CreateMode.EPHEMERAL)
                .forPath("/brokers/ids/" + id, json.getBytes(StandardCharsets.UTF_8));
    }

    private String connect() {
        return "tributary.discovery.zookeeper.connect-string=" + zookeeper.getConnectString();
    }

    @Test
    void shouldSupplyRegisteredBrokersToEveryKafkaClientBootBuilds() throws Exception {
        register(2, 19093);
        register(1, 19092);
        runner.withPropertyValues(connect(), "spring.kafka.bootstrap-servers=localhost:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(KafkaConnectionDetails.class))
                            .isInstanceOf(TributaryKafkaConnectionDetails.class);
                    assertThat(context.getBean(KafkaConnectionDetails.class).getBootstrapServers())
                            .containsExactly("localhost:19092", "localhost:19093");
                    DefaultKafkaProducerFactory<?, ?> producers = context.getBean(DefaultKafkaProducerFactory.class);
                    assertThat(producers.getConfigurationProperties().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))
                            .isEqualTo("localhost:19092,localhost:19093");
                    assertThat(context.getBean(KafkaAdmin.class)
                                    .getConfigurationProperties()
                                    .get("bootstrap.servers"))
                            .isEqualTo("localhost:19092,localhost:19093");
                });
    }

    @Test
    void shouldKeepTheApplicationsSecuritySettingsAndSslBundlesForEveryClient() throws Exception {
        register(1, 19092);
        SslBundle shared = SslBundle.of(null);
        SslBundle producerOnly = SslBundle.of(null);
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
        bundles.registerBundle("kafka", shared);
        bundles.registerBundle("producer", producerOnly);
        runner.withBean(SslBundles.class, () -> bundles)
                .withPropertyValues(
                        connect(),
                        "spring.kafka.security.protocol=SASL_SSL",
                        "spring.kafka.ssl.bundle=kafka",
                        "spring.kafka.producer.ssl.bundle=producer",
                        "spring.kafka.admin.security.protocol=SSL",
                        "spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512")
                .run(context -> {
                    KafkaConnectionDetails details = context.getBean(KafkaConnectionDetails.class);
                    assertThat(details).isInstanceOf(TributaryKafkaConnectionDetails.class);
                    assertThat(details.getConsumer().getSslBundle()).isSameAs(shared);
                    assertThat(details.getConsumer().getSecurityProtocol()).isEqualTo("SASL_SSL");
                    assertThat(details.getProducer().getSslBundle()).isSameAs(producerOnly);
                    assertThat(details.getAdmin().getSecurityProtocol()).isEqualTo("SSL");
                    assertThat(details.getAdmin().getBootstrapServers()).containsExactly("localhost:19092");
                    // what Boot builds from them: the admin client the starter's drift and health checks share
                    Map<String, Object> admin =
                            context.getBean(KafkaAdmin.class).getConfigurationProperties();
                    assertThat(admin)
                            .containsEntry("security.protocol", "SSL")
                            .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                            .containsEntry(SslBundle.class.getName(), shared);
                    assertThat(context.getBean(DefaultKafkaProducerFactory.class)
                                    .getConfigurationProperties())
                            .containsEntry("security.protocol", "SASL_SSL")
                            .containsEntry(SslBundle.class.getName(), producerOnly);
                });
    }

    @Test
    void shouldFollowBrokersJoiningAndLeaving() throws Exception {
        register(1, 19092);
        runner.withPropertyValues(connect()).run(context -> {
            BrokerDiscovery discovery = context.getBean(BrokerDiscovery.class);
            assertThat(discovery.bootstrapServers()).isEqualTo("localhost:19092");
            register(3, 19094);
            await().atMost(Duration.ofSeconds(10))
                    .until(discovery::bootstrapServers, "localhost:19092,localhost:19094"::equals);
            zk.delete().forPath("/brokers/ids/1");
            await().atMost(Duration.ofSeconds(10)).until(discovery::bootstrapServers, "localhost:19094"::equals);
            DefaultKafkaProducerFactory<?, ?> producers = context.getBean(DefaultKafkaProducerFactory.class);
            assertThat(producers.getConfigurationProperties().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))
                    .isEqualTo("localhost:19094");
        });
    }

    @Test
    void shouldKeepTheLastKnownBrokersWhileNoneIsRegistered() throws Exception {
        register(1, 19092);
        runner.withPropertyValues(connect()).run(context -> {
            BrokerDiscovery discovery = context.getBean(BrokerDiscovery.class);
            zk.delete().forPath("/brokers/ids/1");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> discovery.brokers().isEmpty());
            assertThat(discovery.bootstrapServers()).isEqualTo("localhost:19092");
        });
    }

    /**
     * The discovery's client left where Curator 5.9's race after a session expiry leaves it (see
     * {@code CuratorSessionWatchdog}): a live ZooKeeper session that Curator believes lost, and no
     * event to tell it otherwise. The state is made as the watchdog's own test makes it, by a last
     * event of the handle other than "connected".
     */
    @Test
    void shouldSeeNewBrokersAgainOnceItsClientIsStuckWithoutASession() throws Exception {
        register(1, 19092);
        runner.withPropertyValues(connect(), "tributary.discovery.zookeeper.session-timeout=2s")
                .run(context -> {
                    ZookeeperBrokerDiscovery discovery = context.getBean(ZookeeperBrokerDiscovery.class);
                    CuratorFramework client = discovery.client();
                    ZooKeeper handle = client.getZookeeperClient().getZooKeeper();
                    handle.getTestable().queueEvent(new WatchedEvent(EventType.None, KeeperState.Closed, null));
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> handle.getState().isConnected()
                                    && !client.getZookeeperClient().isConnected());

                    register(2, 19093);
                    // twice the session timeout later, a new session, and the cache reads the brokers again
                    await().atMost(Duration.ofSeconds(20))
                            .until(discovery::bootstrapServers, "localhost:19092,localhost:19093"::equals);
                    assertThat(client.getZookeeperClient().getZooKeeper()).isNotSameAs(handle);
                });
        // the watchdog stops with the application context
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(thread -> thread.getName().equals("zookeeper-session-watchdog")));
    }

    @Test
    void shouldFailStartupNamingTheConnectStringWhenNoBrokerIsRegistered() {
        runner.withPropertyValues(connect(), "tributary.discovery.broker-wait=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    FailureAnalysis analysis = new NoBrokersFailureAnalyzer().analyze(failure);
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription())
                            .contains("No live Tributary broker")
                            .contains(zookeeper.getConnectString())
                            .contains("/tributary");
                    assertThat(analysis.getAction()).contains("tributary.discovery.zookeeper.connect-string");
                });
    }

    @Test
    void shouldWaitForTheFirstBrokerToRegister() {
        Thread late = new Thread(() -> {
            try {
                Thread.sleep(500);
                register(7, 19097);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        late.start();
        runner.withPropertyValues(connect(), "tributary.discovery.broker-wait=10s")
                .run(context -> assertThat(
                                context.getBean(KafkaConnectionDetails.class).getBootstrapServers())
                        .containsExactly("localhost:19097"));
    }

    @Test
    void shouldReadBrokersUnderAnotherChroot() throws Exception {
        try (CuratorFramework other =
                CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100))) {
            other.start();
            other.create()
                    .creatingParentsIfNeeded()
                    .withMode(CreateMode.EPHEMERAL)
                    .forPath(
                            "/clusters/b/brokers/ids/4",
                            "{\"id\":4,\"host\":\"b4\",\"kafkaPort\":9000}".getBytes(StandardCharsets.UTF_8));
            runner.withPropertyValues(connect(), "tributary.discovery.zookeeper.chroot=/clusters/b/")
                    .run(context -> assertThat(
                                    context.getBean(BrokerDiscovery.class).bootstrapServers())
                            .isEqualTo("b4:9000"));
        }
    }

    @Test
    void shouldBackOffWithoutAConnectString() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(BrokerDiscovery.class);
            assertThat(context.getBean(KafkaConnectionDetails.class))
                    .isNotInstanceOf(TributaryKafkaConnectionDetails.class);
        });
    }

    @Test
    void shouldBackOffWithoutCurator() {
        runner.withClassLoader(new FilteredClassLoader(CuratorFramework.class))
                .withPropertyValues(connect())
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(BrokerDiscovery.class);
                    assertThat(context.getBean(KafkaConnectionDetails.class))
                            .isNotInstanceOf(TributaryKafkaConnectionDetails.class);
                });
    }

    @Test
    void shouldUseTheApplicationsOwnDiscovery() {
        runner.withUserConfiguration(FixedDiscovery.class)
                .withPropertyValues(connect())
                .run(context -> {
                    assertThat(context).hasSingleBean(BrokerDiscovery.class);
                    assertThat(context.getBean(KafkaConnectionDetails.class).getBootstrapServers())
                            .containsExactly("fixed:1");
                });
    }

    @Test
    void shouldLeaveTheApplicationsOwnConnectionDetailsAlone() throws Exception {
        register(1, 19092);
        runner.withUserConfiguration(OwnConnectionDetails.class)
                .withPropertyValues(connect())
                .run(context -> assertThat(
                                context.getBean(KafkaConnectionDetails.class).getBootstrapServers())
                        .containsExactly("own:1"));
    }

    private static final String[] TWO_BROKER_INSTANCES = {
        // a registry that registers the HTTP port, with the Kafka port as metadata
        "spring.cloud.discovery.client.simple.instances.broker[0].uri=http://b2:8082",
        "spring.cloud.discovery.client.simple.instances.broker[0].metadata.kafkaPort=19093",
        "spring.cloud.discovery.client.simple.instances.broker[0].metadata.broker-id=2",
        // one that registers the Kafka port itself
        "spring.cloud.discovery.client.simple.instances.broker[1].uri=http://b1:9092",
        "spring.cloud.discovery.client.simple.instances.broker[1].metadata.broker-id=1"
    };

    private ApplicationContextRunner withDiscoveryClient() {
        return runner.withConfiguration(
                AutoConfigurations.of(UtilAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class));
    }

    @Test
    void shouldFindTheBrokersAsInstancesOfTheServiceInTheDiscoveryClient() {
        withDiscoveryClient()
                .withPropertyValues(TWO_BROKER_INSTANCES)
                .withPropertyValues(
                        "tributary.discovery.service-id=broker", "spring.kafka.bootstrap-servers=localhost:1")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(DiscoveryClientBrokerDiscovery.class);
                    assertThat(context.getBean(KafkaConnectionDetails.class).getBootstrapServers())
                            .containsExactly("b1:9092", "b2:19093");
                    assertThat(context.getBean(DefaultKafkaProducerFactory.class)
                                    .getConfigurationProperties()
                                    .get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))
                            .isEqualTo("b1:9092,b2:19093");
                });
    }

    @Test
    void shouldFailStartupNamingTheServiceWhenTheDiscoveryClientKnowsNoInstance() {
        withDiscoveryClient()
                .withPropertyValues("tributary.discovery.service-id=brokers", "tributary.discovery.broker-wait=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new NoBrokersFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription())
                            .contains("No live Tributary broker")
                            .contains("service 'brokers'");
                    assertThat(analysis.getAction()).contains("tributary.discovery.service-id");
                });
    }

    @Test
    void shouldPreferTheBrokersOwnRegistrationsWhenBothAreSet() throws Exception {
        register(1, 19092);
        withDiscoveryClient()
                .withPropertyValues(TWO_BROKER_INSTANCES)
                .withPropertyValues(connect(), "tributary.discovery.service-id=broker")
                .run(context -> {
                    assertThat(context).hasSingleBean(BrokerDiscovery.class);
                    assertThat(context.getBean(KafkaConnectionDetails.class).getBootstrapServers())
                            .containsExactly("localhost:19092");
                });
    }

    @Test
    void shouldBackOffFromTheServiceIdWithoutSpringCloud() {
        runner.withClassLoader(new FilteredClassLoader(DiscoveryClient.class))
                .withPropertyValues("tributary.discovery.service-id=broker")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BrokerDiscovery.class));
    }

    @Test
    void shouldBackOffFromTheServiceIdWithoutADiscoveryClient() {
        runner.withPropertyValues("tributary.discovery.service-id=broker").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(BrokerDiscovery.class);
            assertThat(context.getBean(KafkaConnectionDetails.class))
                    .isNotInstanceOf(TributaryKafkaConnectionDetails.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class FixedDiscovery {
        @Bean
        BrokerDiscovery fixedDiscovery() {
            return new BrokerDiscovery() {
                @Override
                public List<BrokerAddress> brokers() {
                    return List.of(new BrokerAddress(1, "fixed", 1));
                }

                @Override
                public String source() {
                    return "fixed";
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnConnectionDetails {
        @Bean
        KafkaConnectionDetails ownConnectionDetails() {
            return () -> List.of("own:1");
        }
    }
}
