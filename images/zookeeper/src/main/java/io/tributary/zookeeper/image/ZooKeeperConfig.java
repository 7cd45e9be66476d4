package io.tributary.zookeeper.image;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ZooKeeper server's configuration read from {@code ZOO_*} environment variables (the names of
 * the Docker Official ZooKeeper image), rendered as {@code zoo.cfg} text and a {@code myid}.
 *
 * <p>Without {@code ZOO_SERVERS} the server runs standalone. With it (entries
 * {@code server.N=host:quorumPort:electionPort[;clientPort]} separated by spaces or commas), the
 * server joins that ensemble as {@code ZOO_MY_ID}, or, when that is unset, as the ordinal at the
 * end of {@code HOSTNAME} plus one (a StatefulSet's {@code zk-0} is server 1). A bad or missing
 * value fails with an {@link IllegalArgumentException} whose message names the variable, in one
 * line. Immutable.
 */
record ZooKeeperConfig(int myId, String dataDir, Map<String, String> properties) {

    static final String DEFAULT_DATA_DIR = "/var/lib/tributary/zookeeper";

    private static final Pattern SERVER = Pattern.compile(
            "server\\.(\\d+)=([^:\\s]+):(\\d+):(\\d+)(?::(participant|observer))?(?:;(?:[^:;\\s]+:)?(\\d+))?");
    private static final Pattern ORDINAL = Pattern.compile(".*-(\\d+)$");

    static ZooKeeperConfig fromEnvironment(Map<String, String> env) {
        Map<String, String> cfg = new LinkedHashMap<>();
        String dataDir = value(env, "ZOO_DATA_DIR", DEFAULT_DATA_DIR);
        cfg.put("dataDir", dataDir);
        String dataLogDir = env.get("ZOO_DATA_LOG_DIR");
        if (dataLogDir != null && !dataLogDir.isBlank()) {
            cfg.put("dataLogDir", dataLogDir);
        }
        cfg.put("tickTime", number(env, "ZOO_TICK_TIME", 2000));
        cfg.put("initLimit", number(env, "ZOO_INIT_LIMIT", 10));
        cfg.put("syncLimit", number(env, "ZOO_SYNC_LIMIT", 5));
        cfg.put("maxClientCnxns", number(env, "ZOO_MAX_CLIENT_CNXNS", 0));
        // Tributary's services ask for 6 s sessions
        cfg.put("minSessionTimeout", number(env, "ZOO_MIN_SESSION_TIMEOUT", 4000));
        cfg.put("maxSessionTimeout", number(env, "ZOO_MAX_SESSION_TIMEOUT", 40000));
        cfg.put("4lw.commands.whitelist", value(env, "ZOO_4LW_COMMANDS_WHITELIST", "ruok,srvr,stat,mntr,conf"));
        cfg.put("admin.enableServer", bool(env, "ZOO_ADMINSERVER_ENABLED", false));
        cfg.put("autopurge.snapRetainCount", number(env, "ZOO_AUTOPURGE_SNAPRETAINCOUNT", 3));
        cfg.put("autopurge.purgeInterval", number(env, "ZOO_AUTOPURGE_PURGEINTERVAL", 1));
        String clientPort = number(env, "ZOO_CLIENT_PORT", 2181);
        String clientPortAddress = env.get("ZOO_CLIENT_PORT_ADDRESS");

        String servers = env.getOrDefault("ZOO_SERVERS", "").trim();
        int myId;
        if (servers.isEmpty()) {
            myId = Integer.parseInt(number(env, "ZOO_MY_ID", 1));
        } else {
            myId = myId(env);
            Map<Integer, String> ensemble = new LinkedHashMap<>();
            String ownClientPort = null;
            for (String entry : List.of(servers.split("[\\s,]+"))) {
                Matcher server = SERVER.matcher(entry);
                if (!server.matches()) {
                    throw new IllegalArgumentException(
                            "ZOO_SERVERS: '" + entry + "' is not server.N=host:quorumPort:electionPort[;clientPort]");
                }
                int id = Integer.parseInt(server.group(1));
                if (ensemble.put(id, entry.substring(entry.indexOf('=') + 1)) != null) {
                    throw new IllegalArgumentException("ZOO_SERVERS: server." + id + " is listed twice");
                }
                if (id == myId && server.group(6) != null) {
                    ownClientPort = server.group(6);
                }
            }
            if (!ensemble.containsKey(myId)) {
                throw new IllegalArgumentException(
                        "ZOO_MY_ID: " + myId + " is not one of the servers in ZOO_SERVERS " + ensemble.keySet());
            }
            if (ownClientPort != null) {
                clientPort = ownClientPort;
            }
            cfg.put("standaloneEnabled", bool(env, "ZOO_STANDALONE_ENABLED", true));
            // a server binds its quorum ports on every interface: its own name may resolve to an
            // address it does not have (a Service IP) or not at all until its DNS record exists
            cfg.put("quorumListenOnAllIPs", bool(env, "ZOO_QUORUM_LISTEN_ON_ALL_IPS", true));
            cfg.put("reconfigEnabled", "false");
            ensemble.forEach((id, address) -> cfg.put("server." + id, address));
        }
        cfg.put("clientPort", clientPort);
        if (clientPortAddress != null && !clientPortAddress.isBlank()) {
            cfg.put("clientPortAddress", clientPortAddress);
        }
        for (String extra : env.getOrDefault("ZOO_CFG_EXTRA", "").trim().split("\\s+")) {
            if (extra.isEmpty()) {
                continue;
            }
            int equals = extra.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("ZOO_CFG_EXTRA: '" + extra + "' is not key=value");
            }
            cfg.put(extra.substring(0, equals), extra.substring(equals + 1));
        }
        return new ZooKeeperConfig(myId, dataDir, Map.copyOf(cfg));
    }

    /** The {@code zoo.cfg} text: one {@code key=value} a line, in a stable order. */
    String render() {
        StringBuilder text = new StringBuilder("# written from ZOO_* environment variables at start\n");
        properties.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e ->
                        text.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
        return text.toString();
    }

    private static int myId(Map<String, String> env) {
        String explicit = env.get("ZOO_MY_ID");
        if (explicit != null && !explicit.isBlank()) {
            return Integer.parseInt(number(env, "ZOO_MY_ID", 0));
        }
        Matcher ordinal = ORDINAL.matcher(env.getOrDefault("HOSTNAME", ""));
        if (ordinal.matches()) {
            return Integer.parseInt(ordinal.group(1)) + 1;
        }
        throw new IllegalArgumentException(
                "ZOO_MY_ID is required with ZOO_SERVERS (or a HOSTNAME ending in -ORDINAL, as in a StatefulSet)");
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String number(Map<String, String> env, String name, int fallback) {
        String value = value(env, name, Integer.toString(fallback));
        if (!value.matches("\\d{1,9}")) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
        return value;
    }

    private static String bool(Map<String, String> env, String name, boolean fallback) {
        String value = value(env, name, Boolean.toString(fallback)).toLowerCase(java.util.Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
        }
        return value;
    }
}
