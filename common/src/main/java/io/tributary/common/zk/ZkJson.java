package io.tributary.common.zk;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes and decodes the JSON records stored in ZooKeeper. Unknown fields are ignored so an
 * older service can read what a newer one wrote. Thread-safe.
 */
public final class ZkJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ZkJson() {}

    public static byte[] toBytes(Object record) {
        return MAPPER.writeValueAsString(record).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws tools.jackson.core.JacksonException when the bytes are not a valid {@code type} */
    public static <T> T fromBytes(byte[] bytes, Class<T> type) {
        return MAPPER.readValue(bytes, type);
    }
}
