package io.tributary.spring.autoconfigure.discovery;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the JSON a broker writes into its ephemeral {@code /brokers/ids/<id>} znode
 * ({@code {"id":1,"host":"localhost","kafkaPort":9092,"httpPort":8081,…}}). Only the three fields
 * a client needs are read and unknown fields are ignored, so the starter does not depend on
 * the services' shared library (and its Netty and protocol classes). Thread-safe.
 */
final class BrokerRegistrationReader {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private BrokerRegistrationReader() {}

    /**
     * @param znodeName the znode's name, the broker id, used when the JSON has none
     * @return the broker, or {@code null} when the bytes are not a usable registration
     */
    static BrokerAddress read(String znodeName, byte[] data) {
        if (data == null || data.length == 0) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(data);
            JsonNode host = node.get("host");
            JsonNode port = node.get("kafkaPort");
            if (host == null || port == null || !port.canConvertToInt() || port.asInt() <= 0) {
                return null;
            }
            JsonNode id = node.get("id");
            int brokerId = id != null && id.canConvertToInt() ? id.asInt() : Integer.parseInt(znodeName);
            return new BrokerAddress(brokerId, host.asString(), port.asInt());
        } catch (JacksonException | NumberFormatException e) {
            return null;
        }
    }
}
