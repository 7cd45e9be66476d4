package io.tributary.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network partitions between service processes on this machine, with iptables on loopback: each
 * service starts in its own cgroup v2 group ({@link #wrap}, given to {@link TributaryCluster}),
 * and a rule in the {@code OUTPUT} chain drops every TCP packet that group sends to a given
 * port. The process must be in its group before it opens a socket, because a socket keeps the
 * group it was created in: moving a running process would leave its connections unmatched.
 * A TCP connection
 * needs packets both ways, so dropping one side's packets stalls new and established
 * connections alike, as a real partition does; the test JVM itself (the clients) is in no group
 * and reaches every process.
 *
 * <p>Every rule carries the comment {@code tributary-it-<test pid>}. {@link #heal} removes the
 * rules; {@link #close} (also run from a shutdown hook should the test JVM die first) removes
 * them, moves any live process back to the root group and removes the groups.
 *
 * <p>Needs root, iptables with the {@code cgroup} match and cgroup v2 at {@code
 * /sys/fs/cgroup/unified} or {@code /sys/fs/cgroup}; see {@link #unavailableReason}. Not
 * thread-safe: a test drives it from one thread.
 */
final class NetworkFaults implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetworkFaults.class);

    private final Path cgroupRoot = findCgroup2Root();
    private final String tag = "tributary-it-" + ProcessHandle.current().pid();
    private final Map<String, Path> groups = new LinkedHashMap<>();
    private final List<List<String>> rules = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::cleanUp, "network-faults-cleanup");

    NetworkFaults() {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * The launcher for {@link TributaryCluster#TributaryCluster(java.util.function.BiFunction)}:
     * a shell that joins the service's group, then {@code exec}s the service (same pid).
     */
    List<String> wrap(String serviceName, List<String> command) {
        Path group = groups.computeIfAbsent(serviceName, name -> {
            Path created = cgroupRoot.resolve(tag + "-" + name);
            try {
                Files.createDirectories(created);
            } catch (IOException e) {
                throw new IllegalStateException("could not create cgroup " + created, e);
            }
            return created;
        });
        List<String> wrapped = new ArrayList<>(
                List.of("sh", "-c", "echo $$ > '" + group.resolve("cgroup.procs") + "' && exec \"$0\" \"$@\""));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Why partitions cannot be made here, or null if they can. */
    static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "iptables and cgroups need root (running as " + System.getProperty("user.name") + ")";
        }
        if (findCgroup2Root() == null) {
            return "no cgroup v2 hierarchy at /sys/fs/cgroup/unified or /sys/fs/cgroup";
        }
        if (!run(List.of("iptables", "-S", "OUTPUT"))) {
            return "iptables is not usable";
        }
        return null;
    }

    /**
     * Cuts {@code side} off from {@code others}: {@code side} cannot reach their Kafka ports nor
     * the extra {@code ports} (ZooKeeper, HTTP), and {@code others} cannot reach {@code side}'s
     * Kafka ports. Clients in the test JVM still reach everyone.
     */
    void partition(
            Collection<TributaryCluster.Service> side, Collection<TributaryCluster.Service> others, int... ports) {
        for (TributaryCluster.Service isolated : side) {
            for (TributaryCluster.Service other : others) {
                if (other.kafkaPort() > 0) {
                    drop(isolated, other.kafkaPort());
                }
                if (isolated.kafkaPort() > 0) {
                    drop(other, isolated.kafkaPort());
                }
            }
            for (int port : ports) {
                drop(isolated, port);
            }
        }
    }

    /** Drops every TCP packet {@code from} sends to {@code port} on this machine. */
    void drop(TributaryCluster.Service from, int port) {
        Path group = groupOf(from);
        List<String> rule = List.of(
                "OUTPUT",
                "-p",
                "tcp",
                "--dport",
                Integer.toString(port),
                "-m",
                "cgroup",
                "--path",
                cgroupRoot.relativize(group).toString(),
                "-m",
                "comment",
                "--comment",
                tag,
                "-j",
                "DROP");
        iptables("-A", rule);
        rules.add(rule);
        log.info("Partition: packets from {} (pid {}) to port {} dropped", from.name(), from.pid(), port);
    }

    /** Removes every rule; the processes stay in their groups, which is harmless. */
    void heal() {
        while (!rules.isEmpty()) {
            List<String> rule = rules.remove(rules.size() - 1);
            if (!run(withCommand("-D", rule))) {
                log.error("Could not remove iptables rule {}", rule);
            }
        }
        log.info("Partition healed");
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    private synchronized void cleanUp() {
        heal();
        for (Path group : groups.values()) {
            try {
                for (String pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
                    Files.writeString(cgroupRoot.resolve("cgroup.procs"), pid.strip());
                }
                Files.deleteIfExists(group);
            } catch (IOException e) {
                log.warn("Could not remove cgroup {}", group, e);
            }
        }
        groups.clear();
    }

    private Path groupOf(TributaryCluster.Service service) {
        Path group = groups.get(service.name());
        if (group == null) {
            throw new IllegalStateException(service.name() + " was not started through wrap()");
        }
        return group;
    }

    private static void iptables(String action, List<String> rule) {
        if (!run(withCommand(action, rule))) {
            throw new IllegalStateException("iptables " + action + " " + String.join(" ", rule) + " failed");
        }
    }

    private static List<String> withCommand(String action, List<String> rule) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", action));
        command.addAll(rule);
        return command;
    }

    private static Path findCgroup2Root() {
        for (Path candidate : List.of(Path.of("/sys/fs/cgroup/unified"), Path.of("/sys/fs/cgroup"))) {
            if (Files.exists(candidate.resolve("cgroup.procs"))
                    && Files.exists(candidate.resolve("cgroup.subtree_control"))) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean run(List<String> command) {
        return SystemCommand.run(command);
    }
}
