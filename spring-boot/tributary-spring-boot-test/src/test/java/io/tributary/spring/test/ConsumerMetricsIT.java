package io.tributary.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.common.testing.TestCertificates;
import io.tributary.spring.test.app.DemoApplication;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The client meters against a real one-broker cluster: the group's lag grows while its listener
 * is stopped and drops to zero once it has consumed, every record the template sends is timed
 * until its acks=all acknowledgement, and the listener's starts and stops are counted.
 *
 * <p>The broker's listener is SASL_SSL with SCRAM-SHA-512 and the authorizer on, and the
 * application says so only in {@code spring.kafka.*}: the protocol, an SSL bundle of the CA's
 * truststore ({@code spring.kafka.ssl.bundle}) and the SASL login in
 * {@code spring.kafka.properties}. The template, the listener and the starter's own admin client
 * (which creates the declared topic and reads the committed offsets behind the lag meter) work only
 * if each of them takes those settings along with the brokers discovery found.
 */
@ExtendWith(TestTlsExtension.class)
@EmbeddedTributary(
        brokers = 1,
        brokerProperties = {
            "tributary.broker.security.protocol=SASL_SSL",
            "tributary.broker.security.ssl.keystore-location=${" + TestTlsExtension.KEYSTORE + "}",
            "tributary.broker.security.ssl.keystore-password=" + TestCertificates.PASSWORD,
            "tributary.broker.security.ssl.truststore-location=${" + TestTlsExtension.TRUSTSTORE + "}",
            "tributary.broker.security.ssl.truststore-password=" + TestCertificates.PASSWORD,
            "tributary.broker.security.sasl.enabled-mechanisms=SCRAM-SHA-512",
            "tributary.broker.security.sasl.inter-broker-user=admin",
            "tributary.broker.security.sasl.inter-broker-password=" + ConsumerMetricsIT.PASSWORD,
            "tributary.broker.security.authorizer.enabled=true",
            "tributary.broker.security.authorizer.super-users=User:admin"
        })
@SpringBootTest(
        classes = DemoApplication.class,
        properties = {
            "tributary.discovery.zookeeper.connect-string=${tributary.embedded.zookeeper-connect}",
            "spring.kafka.security.protocol=SASL_SSL",
            "spring.ssl.bundle.jks.tributary.truststore.location=file:${" + TestTlsExtension.TRUSTSTORE + "}",
            "spring.ssl.bundle.jks.tributary.truststore.password=" + TestCertificates.PASSWORD,
            "spring.ssl.bundle.jks.tributary.truststore.type=PKCS12",
            "spring.kafka.ssl.bundle=tributary",
            "spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
            "spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                    + " required username=\"admin\" password=\"" + ConsumerMetricsIT.PASSWORD + "\";",
            "spring.kafka.consumer.group-id=lagging",
            "spring.kafka.consumer.auto-offset-reset=earliest",
            "spring.kafka.producer.acks=all",
            "tributary.topics.orders.partitions=1",
            "tributary.metrics.lag-interval=300ms",
            "tributary.health.enabled=false"
        })
@DirtiesContext
class ConsumerMetricsIT {

    static final String PASSWORD = "admin-secret";

    @Autowired
    KafkaTemplate<String, String> template;

    @Autowired
    BlockingQueue<String> received;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    MeterRegistry meters;

    @Test
    void shouldReportLagWhileTheListenerIsStoppedAndZeroOnceItHasConsumed() throws Exception {
        MessageListenerContainer listener = listeners.getListenerContainer("orders");
        send("first");
        assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo("first");
        await().atMost(Duration.ofSeconds(30)).until(() -> lag() == 0.0);

        listener.stop();
        send("second");
        send("third");
        await().atMost(Duration.ofSeconds(30)).until(() -> lag() == 2.0);

        listener.start();
        assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo("third");
        await().atMost(Duration.ofSeconds(30)).until(() -> lag() == 0.0);

        assertThat(meters.get("tributary.producer.ack.latency")
                        .tag("acks", "all")
                        .timer()
                        .count())
                .isEqualTo(3);
        assertThat(meters.get("tributary.listener.starts")
                        .tag("listener", "orders")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(meters.get("tributary.listener.stops")
                        .tags("listener", "orders", "reason", "normal")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    private void send(String value) throws Exception {
        template.send("orders", value).get(30, TimeUnit.SECONDS);
    }

    /** The lag gauge of partition 0, or -1 while it does not exist yet. */
    private double lag() {
        Gauge gauge = meters.find("tributary.consumer.lag")
                .tags("group", "lagging", "topic", "orders", "partition", "0")
                .gauge();
        return gauge == null ? -1 : gauge.value();
    }
}
