package io.tributary.zookeeper.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.zookeeper.ZooKeeperMain;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;

/**
 * The ZooKeeper image's entrypoint; the image has no shell to generate a configuration with.
 *
 * <ul>
 *   <li>no arguments: writes {@code zoo.cfg} (to {@code ZOO_CONF_DIR}, default
 *       {@code /tmp/zookeeper}) and {@code myid} (to the data directory) from the environment
 *       (see {@link ZooKeeperConfig}) and runs {@link QuorumPeerMain} on it;
 *   <li>{@code cli ARGS...}: ZooKeeper's command-line client, e.g.
 *       {@code cli -server localhost:2181 get /foo}.
 * </ul>
 *
 * A bad environment stops the container with one line on standard error and exit code 2.
 */
public final class ZooKeeperEntrypoint {

    private ZooKeeperEntrypoint() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cli")) {
            // the client's connection chatter would bury the answer (logback.xml reads this)
            if (System.getenv("ZOO_LOG_LEVEL") == null) {
                System.setProperty("ZOO_LOG_LEVEL", "WARN");
            }
            ZooKeeperMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0) {
            System.err.println("zookeeper: unknown arguments " + Arrays.toString(args)
                    + "; run with none (server) or 'cli ARGS...'");
            System.exit(2);
        }
        Path config;
        try {
            config = writeConfig(ZooKeeperConfig.fromEnvironment(System.getenv()), confDir());
        } catch (IllegalArgumentException e) {
            System.err.println("zookeeper: " + e.getMessage());
            System.exit(2);
            return;
        }
        QuorumPeerMain.main(new String[] {config.toString()});
    }

    static Path writeConfig(ZooKeeperConfig config, Path confDir) throws IOException {
        Path dataDir = Path.of(config.dataDir());
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("myid"), config.myId() + "\n", StandardCharsets.US_ASCII);
        Files.createDirectories(confDir);
        Path file = confDir.resolve("zoo.cfg");
        Files.writeString(file, config.render(), StandardCharsets.UTF_8);
        return file;
    }

    private static Path confDir() {
        String dir = System.getenv("ZOO_CONF_DIR");
        return Path.of(dir == null || dir.isBlank() ? "/tmp/zookeeper" : dir);
    }
}
