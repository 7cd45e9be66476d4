package io.tributary.broker.security;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.config.BrokerSecurityProperties;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.springframework.stereotype.Component;

/**
 * SaslHandshake as the dispatcher sees it. On a SASL listener the protocol server's
 * authenticator answers the handshake before any handler runs, so a handshake reaching this
 * handler came on a listener without SASL, or again on an authenticated connection:
 * {@code ILLEGAL_SASL_STATE}, as Kafka answers. Registered so that ApiVersions advertises it.
 * v1 only: v0 (raw tokens, no SaslAuthenticate) was removed in Kafka 4.0.
 */
@Authorization(
        value = {},
        note = "None: part of authentication")
@Component
class SaslHandshakeHandler implements ApiHandler {

    private final BrokerSecurityProperties security;

    SaslHandshakeHandler(BrokerSecurityProperties security) {
        this.security = security;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        return HandlerResult.completed(new SaslHandshakeResponse(new SaslHandshakeResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setMechanisms(security.listener().sasl() ? security.sasl().enabledMechanisms() : List.of())));
    }
}
