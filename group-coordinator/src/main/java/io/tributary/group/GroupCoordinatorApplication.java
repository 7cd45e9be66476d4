package io.tributary.group;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The group coordinator: consumer-group membership, rebalances and committed offsets. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GroupCoordinatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(GroupCoordinatorApplication.class, args);
    }
}
