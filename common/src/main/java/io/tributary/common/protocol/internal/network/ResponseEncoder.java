package io.tributary.common.protocol.internal.network;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.util.ReferenceCountUtil;
import io.tributary.common.protocol.DecodedRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * {@link OutboundResponse} → size prefix + response header + body, as Netty messages.
 *
 * <p>Uses kafka-clients' own {@code AbstractResponse.toSend}, which keeps record data that
 * lives in a file ({@code FileRecords}) as a separate zero-copy part; the
 * {@link NettyTransferableChannel} turns that part into a file region. The response header
 * version comes from {@code ApiKeys.responseHeaderVersion}, except that ApiVersions always
 * uses header v0 (KIP-511) so that a client can read it whatever version it asked for.
 *
 * <p>Sharable and stateless.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class ResponseEncoder extends MessageToMessageEncoder<OutboundResponse> {

    private final boolean zeroCopy;

    /** @param zeroCopy whether file-backed record data may go out as file regions (not under TLS) */
    public ResponseEncoder(boolean zeroCopy) {
        super(OutboundResponse.class);
        this.zeroCopy = zeroCopy;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OutboundResponse msg, List<Object> out) throws Exception {
        DecodedRequest request = msg.request();
        short headerVersion = responseHeaderVersion(request.apiKey(), request.apiVersion());
        Send send =
                msg.response().toSend(new ResponseHeader(request.correlationId(), headerVersion), request.apiVersion());
        // encode into a private list: on failure nothing half-written may reach the socket
        List<Object> parts = new ArrayList<>(4);
        NettyTransferableChannel channel = new NettyTransferableChannel(parts, zeroCopy);
        try {
            while (!send.completed()) {
                if (send.writeTo(channel) == 0 && !send.completed()) {
                    // our channel accepts everything: no progress means a Send we do not understand
                    throw new IllegalStateException("Response send made no progress: " + request.describe());
                }
            }
        } catch (Exception | Error e) {
            parts.forEach(ReferenceCountUtil::release);
            throw e;
        }
        out.addAll(parts);
    }

    static short responseHeaderVersion(ApiKeys apiKey, short apiVersion) {
        return apiKey == ApiKeys.API_VERSIONS ? 0 : apiKey.responseHeaderVersion(apiVersion);
    }
}
