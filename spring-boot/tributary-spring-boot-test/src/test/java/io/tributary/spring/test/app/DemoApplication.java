package io.tributary.spring.test.app;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** The application the integration tests start: a listener on {@code orders} and Boot's template. */
@SpringBootApplication
public class DemoApplication {

    @Bean
    BlockingQueue<String> received() {
        return new LinkedBlockingQueue<>();
    }

    @Component
    static class OrdersListener {

        private final BlockingQueue<String> received;

        OrdersListener(BlockingQueue<String> received) {
            this.received = received;
        }

        // an id for the listener meters and to start and stop it; the group stays spring.kafka's
        @KafkaListener(
                id = "orders",
                idIsGroup = false,
                topics = "orders",
                autoStartup = "${demo.listener.enabled:true}")
        void onOrder(String value) {
            received.add(value);
        }
    }
}
