package io.tributary.spring.test.testcontainers;

import java.util.List;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@code @ServiceConnection} for a {@link TributaryContainer}: Boot's Kafka clients bootstrap from
 * every broker of the container's cluster. Registered in {@code META-INF/spring.factories}.
 */
class TributaryContainerConnectionDetailsFactory
        extends ContainerConnectionDetailsFactory<TributaryContainer, KafkaConnectionDetails> {

    TributaryContainerConnectionDetailsFactory() {
        super(ANY_CONNECTION_NAME, "org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails");
    }

    @Override
    protected KafkaConnectionDetails getContainerConnectionDetails(
            ContainerConnectionSource<TributaryContainer> source) {
        return new TributaryContainerConnectionDetails(source);
    }

    /** The container's brokers as Boot's Kafka connection details. */
    static final class TributaryContainerConnectionDetails extends ContainerConnectionDetails<TributaryContainer>
            implements KafkaConnectionDetails {

        TributaryContainerConnectionDetails(ContainerConnectionSource<TributaryContainer> source) {
            super(source);
        }

        @Override
        public List<String> getBootstrapServers() {
            return getContainer().bootstrapServers();
        }

        /** Both parents declare it; the container's (from {@code @Ssl…} annotations) wins. */
        @Override
        public SslBundle getSslBundle() {
            return super.getSslBundle();
        }
    }
}
