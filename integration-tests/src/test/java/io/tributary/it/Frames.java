package io.tributary.it;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.RequestUtils;

/** Kafka request frames (int32 size prefix, header, body) built from parts, well-formed or not. */
final class Frames {

    static final String CLIENT_ID = "hostile";

    private Frames() {}

    /** A well-formed request: kafka-clients' own serialisation of header and body. */
    static byte[] request(ApiKeys apiKey, short version, int correlationId, ApiMessage body) {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(apiKey.id)
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId(CLIENT_ID);
        ByteBuffer bytes = RequestUtils.serialize(header, apiKey.requestHeaderVersion(version), body, version);
        return sized(bytes);
    }

    /** The header kafka-clients would write for {@code apiKey} at {@code version} (v2, with tagged fields, if flexible). */
    static byte[] header(ApiKeys apiKey, short version, int correlationId) {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(apiKey.id)
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId(CLIENT_ID);
        ByteBuffer bytes = MessageUtil.toByteBufferAccessor(header, apiKey.requestHeaderVersion(version))
                .buffer();
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return array;
    }

    /** A v1 header (key, version, correlation id, client id) for any key and version, known or not. */
    static byte[] header(int apiKey, int version, int correlationId) {
        byte[] clientId = CLIENT_ID.getBytes(StandardCharsets.UTF_8);
        ByteBuffer header = ByteBuffer.allocate(2 + 2 + 4 + 2 + clientId.length);
        header.putShort((short) apiKey).putShort((short) version).putInt(correlationId);
        header.putShort((short) clientId.length).put(clientId);
        return header.array();
    }

    /** {@code parts} concatenated behind their total size. */
    static byte[] frame(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        ByteBuffer frame = ByteBuffer.allocate(4 + size).putInt(size);
        for (byte[] part : parts) {
            frame.put(part);
        }
        return frame.array();
    }

    /** {@code body} behind a size prefix that says {@code claimedSize}, whatever its real length. */
    static byte[] withClaimedSize(int claimedSize, byte[] body) {
        return ByteBuffer.allocate(4 + body.length)
                .putInt(claimedSize)
                .put(body)
                .array();
    }

    private static byte[] sized(ByteBuffer bytes) {
        byte[] frame = new byte[4 + bytes.remaining()];
        ByteBuffer.wrap(frame).putInt(bytes.remaining()).put(bytes);
        return frame;
    }
}
