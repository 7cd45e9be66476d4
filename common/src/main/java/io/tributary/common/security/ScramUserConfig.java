package io.tributary.common.security;

import io.tributary.common.zk.ZkJson;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramCredentialUtils;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * The bytes of a user's SCRAM credential znode, {@code /config/users/<url-encoded name>}, as Kafka
 * stores them: {@code {"version":1,"config":{"SCRAM-SHA-512":"salt=...,stored_key=...,server_key=...,iterations=4096"}}}
 * (kafka-clients' {@code ScramCredentialUtils} format; no password is ever stored). The one
 * reader and writer of that format, for the brokers' credential store and the services'
 * {@link ScramPasswordVerifier}. An empty znode (or none) holds no credential. Stateless.
 */
public final class ScramUserConfig {

    /** The znode's JSON. */
    record UserConfig(int version, Map<String, String> config) {}

    private ScramUserConfig() {}

    /** Mechanism name → credential string, sorted; empty for {@code null} or empty bytes. */
    public static Map<String, String> parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return new TreeMap<>();
        }
        UserConfig config = ZkJson.fromBytes(bytes, UserConfig.class);
        return config.config() == null ? new TreeMap<>() : new TreeMap<>(config.config());
    }

    /** The credential for {@code mechanism} in the znode's bytes. */
    public static Optional<ScramCredential> credential(byte[] bytes, ScramMechanism mechanism) {
        return Optional.ofNullable(parse(bytes).get(mechanism.mechanismName()))
                .map(ScramCredentialUtils::credentialFromString);
    }

    /** The znode's bytes for {@code credentials} (mechanism name → credential string); {@code null} for none. */
    public static byte[] toBytes(Map<String, String> credentials) {
        return credentials.isEmpty() ? null : ZkJson.toBytes(new UserConfig(1, new TreeMap<>(credentials)));
    }
}
