package io.tributary.group.it;

import io.tributary.group.GroupCoordinatorApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the whole group-coordinator in this JVM, as the ITs that restart it or run two of it
 * do: on the given ZooKeeper, with free HTTP and Kafka-protocol ports and its H2 file (or other
 * state) under {@code dataDir}, never a real instance's defaults.
 */
final class CoordinatorInstances {

    private CoordinatorInstances() {}

    /** A started instance; {@code extraArgs} add or override Spring properties ({@code --key=value}). */
    static ConfigurableApplicationContext start(String zookeeperConnect, Path dataDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--tributary.zookeeper.connect=" + zookeeperConnect,
                "--tributary.group.data-dir=" + dataDir,
                "--tributary.group.kafka-port=0"));
        args.addAll(List.of(extraArgs));
        return new SpringApplicationBuilder(GroupCoordinatorApplication.class).run(args.toArray(String[]::new));
    }
}
