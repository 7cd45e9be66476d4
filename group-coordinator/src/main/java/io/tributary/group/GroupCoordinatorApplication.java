package io.tributary.group;

import io.tributary.common.http.HttpSecurityConfiguration;
import io.tributary.common.http.ServiceHttpTlsConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The group coordinator: consumer-group membership, rebalances and committed offsets. */
@SpringBootApplication
@Import({HttpSecurityConfiguration.class, ServiceHttpTlsConfiguration.class})
@ConfigurationPropertiesScan
public class GroupCoordinatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(GroupCoordinatorApplication.class, args);
    }
}
