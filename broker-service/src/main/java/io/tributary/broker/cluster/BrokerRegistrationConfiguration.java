package io.tributary.broker.cluster;

import io.tributary.broker.config.BrokerProperties;
import io.tributary.common.protocol.KafkaProtocolServer;
import io.tributary.common.zk.BrokerRegistration;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Registers the broker in ZooKeeper once its HTTP port is known and its Kafka listener is bound;
 * a refusal (id in use) fails the application's start.
 */
@Configuration(proxyBeanMethods = false)
class BrokerRegistrationConfiguration {

    private final BrokerProperties properties;

    BrokerRegistrationConfiguration(BrokerProperties properties) {
        this.properties = properties;
    }

    @Bean(destroyMethod = "close")
    BrokerRegistrar brokerRegistrar(CuratorFramework curator) {
        return new BrokerRegistrar(curator, Clock.systemUTC());
    }

    @EventListener
    void onWebServerStarted(WebServerInitializedEvent event) throws Exception {
        BrokerRegistrar registrar = event.getApplicationContext().getBean(BrokerRegistrar.class);
        // the listener is bound by now (a bean the handlers' server depends on), so its real port is known
        int kafkaPort =
                event.getApplicationContext().getBean(KafkaProtocolServer.class).port();
        BrokerRegistration registration = new BrokerRegistration(
                properties.id(),
                properties.host(),
                kafkaPort,
                event.getWebServer().getPort(),
                properties.rackOrNull(),
                System.currentTimeMillis());
        registrar.register(registration, properties.registrationWait());
    }
}
