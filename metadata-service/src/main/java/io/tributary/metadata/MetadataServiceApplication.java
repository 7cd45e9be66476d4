package io.tributary.metadata;

import io.tributary.common.http.HttpSecurityConfiguration;
import io.tributary.common.http.ServiceHttpTlsConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The cluster's metadata service: topics, replica assignment, controller and leader election. */
@SpringBootApplication
@Import({HttpSecurityConfiguration.class, ServiceHttpTlsConfiguration.class})
@ConfigurationPropertiesScan
public class MetadataServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(MetadataServiceApplication.class, args);
    }
}
