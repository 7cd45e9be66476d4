package io.tributary.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.spring.test.app.DemoApplication;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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
 */
@EmbeddedTributary(brokers = 1)
@SpringBootTest(
        classes = DemoApplication.class,
        properties = {
            "tributary.discovery.zookeeper.connect-string=${tributary.embedded.zookeeper-connect}",
            "spring.kafka.consumer.group-id=lagging",
            "spring.kafka.consumer.auto-offset-reset=earliest",
            "spring.kafka.producer.acks=all",
            "tributary.topics.orders.partitions=1",
            "tributary.metrics.lag-interval=300ms",
            "tributary.health.enabled=false"
        })
@DirtiesContext
class ConsumerMetricsIT {

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
