package io.tributary.spring.autoconfigure.topics;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * One Kafka {@link Admin} client shared by the drift check, the health contributor and the lag
 * metrics, created on first use from Boot's {@link KafkaAdmin} settings (so from the discovered
 * brokers when discovery is on) and closed with the context. Thread-safe, like {@code Admin}.
 */
public class TributaryAdmin implements AutoCloseable {

    private final KafkaAdmin kafkaAdmin;
    private volatile Admin admin;

    public TributaryAdmin(KafkaAdmin kafkaAdmin) {
        this.kafkaAdmin = kafkaAdmin;
    }

    public Admin get() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                current = admin;
                if (current == null) {
                    Map<String, Object> config = new java.util.HashMap<>(kafkaAdmin.getConfigurationProperties());
                    config.putIfAbsent("client.id", "tributary-spring");
                    current = Admin.create(config);
                    admin = current;
                }
            }
        }
        return current;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
            admin = null;
        }
    }
}
