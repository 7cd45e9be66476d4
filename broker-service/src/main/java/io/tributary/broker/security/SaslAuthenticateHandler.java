package io.tributary.broker.security;

import io.tributary.broker.authz.Authorization;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.springframework.stereotype.Component;

/**
 * SaslAuthenticate as the dispatcher sees it: like {@link SaslHandshakeHandler}, the SASL
 * exchange itself is answered by the protocol server's authenticator, so one reaching a handler
 * is out of place ({@code ILLEGAL_SASL_STATE}). A re-authentication (KIP-368, with {@code connections-max-reauth}) is run by the authenticator too.
 */
@Authorization(
        value = {},
        note = "None: part of authentication")
@Component
class SaslAuthenticateHandler implements ApiHandler {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        return HandlerResult.completed(new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage("Unexpected SaslAuthenticate: the connection is not in a SASL exchange")));
    }
}
