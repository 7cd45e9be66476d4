package io.tributary.broker;

import io.tributary.common.http.ServiceHttpTlsConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** A Tributary broker: partition logs on disk, served over the Kafka protocol. */
@SpringBootApplication
@Import(ServiceHttpTlsConfiguration.class)
@ConfigurationPropertiesScan
public class BrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(BrokerApplication.class, args);
    }
}
