package io.tributary.common.protocol.internal.network;

import io.tributary.common.protocol.DecodedRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * A response ready to be encoded for its request: the dispatcher writes these, in request
 * order, and the {@link ResponseEncoder} turns them into bytes and file regions.
 *
 * @param request  the request being answered (correlation id, API, version)
 * @param response the body
 */
public record OutboundResponse(DecodedRequest request, AbstractResponse response) {}
