package io.tributary.common.protocol.internal.network;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.tributary.common.protocol.ConnectionInfo;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.security.SaslMechanisms;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request of a secured connection its principal, and on a SASL listener runs the
 * SASL exchange first, as Kafka's {@code SaslServerAuthenticator} does:
 * <ol>
 *   <li>Until authenticated, only ApiVersions (passed on to the dispatcher), SaslHandshake and
 *   SaslAuthenticate are accepted; any other request closes the connection.</li>
 *   <li>SaslHandshake names a mechanism: an enabled one starts a {@link SaslServer} for it, any
 *   other gets {@code UNSUPPORTED_SASL_MECHANISM} with the enabled list, and the connection is
 *   closed.</li>
 *   <li>Each SaslAuthenticate carries the client's next token; the answer carries the server's.
 *   When the exchange completes, the connection belongs to {@code User:<authorization id>}.
 *   Wrong credentials get {@code SASL_AUTHENTICATION_FAILED} and the connection is closed after
 *   the answer, so the client reports the failure instead of a mere disconnect.</li>
 * </ol>
 * <p>Re-authentication (KIP-368): with a positive {@link SaslMechanisms#sessionLifetime()}
 * ({@code connections.max.reauth.ms}) the last SaslAuthenticate answer carries
 * {@code session_lifetime_ms}, and a request other than SaslHandshake arriving after the session
 * expired closes the connection, as Kafka's {@code SocketServer} does. The client may run the
 * exchange again on the same connection (SaslHandshake with the same mechanism, then SaslAuthenticate); it must
 * end as the same principal, else {@code SASL_AUTHENTICATION_FAILED} and the connection is closed.
 * A failed re-authentication (say the user's credential was deleted) closes it too. Responses to
 * requests sent before the re-authentication may still be written after its answers: the Java
 * client keeps such responses aside until it is done.
 *
 * <p>On an SSL listener there is no exchange: the principal is {@code User:<certificate subject>}
 * when the client presented a certificate, else {@code User:ANONYMOUS} (Kafka's default
 * principal builder). Authenticated requests are passed on carrying the principal.
 *
 * <p>The exchange is strictly sequential on the client's side (it waits for each answer), so
 * answering here, outside the dispatcher's response ordering, cannot reorder responses.
 *
 * <p>One instance per channel; runs on its event loop.
 */
final class Authenticator extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private enum State {
        HANDSHAKE,
        AUTHENTICATE,
        AUTHENTICATED,
        FAILED
    }

    private final SaslMechanisms mechanisms;
    private final long sessionLifetimeMs;
    private State state;
    private SaslServer saslServer;
    private KafkaPrincipal principal = KafkaPrincipal.ANONYMOUS;
    /** The mechanism of the current session, which a re-authentication must keep; null before one. */
    private String sessionMechanism;
    /** When the session expires ({@link System#nanoTime()}); only with a positive lifetime. */
    private long sessionExpiresNanos;

    /** @param mechanisms the SASL mechanisms, or {@code null} on an SSL listener (no SASL) */
    Authenticator(SaslMechanisms mechanisms) {
        this.mechanisms = mechanisms;
        this.sessionLifetimeMs =
                mechanisms == null ? 0 : mechanisms.sessionLifetime().toMillis();
        this.state = mechanisms == null ? State.AUTHENTICATED : State.HANDSHAKE;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess() && mechanisms == null) {
            principal = certificatePrincipal(ctx);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof DecodedRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (state) {
            case AUTHENTICATED -> authenticated(ctx, request);
            case FAILED -> request.releaseBuffer(); // closing: what the client pipelined behind the failure is dropped
            default -> authenticate(ctx, request);
        }
    }

    private void authenticated(ChannelHandlerContext ctx, DecodedRequest request) {
        if (sessionLifetimeMs <= 0) {
            ctx.fireChannelRead(request.withPrincipal(principal));
        } else if (request.apiKey() == ApiKeys.SASL_HANDSHAKE) {
            // a re-authentication begins; as in Kafka even after expiry (an idle client re-authenticates
            // only when it next sends)
            handshake(ctx, request);
        } else if (System.nanoTime() - sessionExpiresNanos > 0) {
            request.releaseBuffer();
            state = State.FAILED;
            LOG.info(
                    "Closing connection {} of {}: its session expired without re-authentication",
                    connection(ctx),
                    principal);
            ctx.close();
        } else {
            ctx.fireChannelRead(request.withPrincipal(principal));
        }
    }

    private void authenticate(ChannelHandlerContext ctx, DecodedRequest request) {
        if (request.apiKey() == ApiKeys.API_VERSIONS) {
            ctx.fireChannelRead(request);
        } else if (request.apiKey() == ApiKeys.SASL_HANDSHAKE && state == State.HANDSHAKE) {
            handshake(ctx, request);
        } else if (request.apiKey() == ApiKeys.SASL_AUTHENTICATE && state == State.AUTHENTICATE) {
            exchange(ctx, request);
        } else {
            request.releaseBuffer();
            fail(ctx, null, "unexpected " + request.apiKey() + " before authentication (state " + state + ")");
        }
    }

    private void handshake(ChannelHandlerContext ctx, DecodedRequest request) {
        String mechanism = request.body(SaslHandshakeRequest.class).data().mechanism();
        SaslHandshakeResponseData data = new SaslHandshakeResponseData().setMechanisms(mechanisms.enabled());
        if (sessionMechanism != null && !sessionMechanism.equals(mechanism)) {
            data.setErrorCode(Errors.ILLEGAL_SASL_STATE.code());
            fail(
                    ctx,
                    new OutboundResponse(request, new SaslHandshakeResponse(data)),
                    "re-authentication of " + principal + " with " + mechanism + " instead of " + sessionMechanism);
            return;
        }
        if (!mechanisms.enabled().contains(mechanism)) {
            data.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            fail(
                    ctx,
                    new OutboundResponse(request, new SaslHandshakeResponse(data)),
                    "unsupported mechanism " + mechanism);
            return;
        }
        try {
            saslServer = mechanisms.newServer(mechanism);
        } catch (SaslException | RuntimeException e) {
            data.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code());
            LOG.warn("Cannot start a {} exchange for {}", mechanism, connection(ctx), e);
            fail(ctx, new OutboundResponse(request, new SaslHandshakeResponse(data)), "no " + mechanism + " server");
            return;
        }
        state = State.AUTHENTICATE;
        ctx.writeAndFlush(new OutboundResponse(request, new SaslHandshakeResponse(data)));
    }

    private void exchange(ChannelHandlerContext ctx, DecodedRequest request) {
        byte[] token = request.body(SaslAuthenticateRequest.class).data().authBytes();
        SaslAuthenticateResponseData data = new SaslAuthenticateResponseData();
        try {
            byte[] challenge = saslServer.evaluateResponse(token);
            data.setAuthBytes(challenge == null ? new byte[0] : challenge);
        } catch (SaslException | SaslAuthenticationException e) {
            String message =
                    "Authentication failed during authentication due to invalid credentials with SASL mechanism "
                            + saslServer.getMechanismName();
            data.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code()).setErrorMessage(message);
            fail(ctx, new OutboundResponse(request, new SaslAuthenticateResponse(data)), e.getMessage());
            return;
        }
        if (saslServer.isComplete()) {
            KafkaPrincipal authenticated =
                    new KafkaPrincipal(KafkaPrincipal.USER_TYPE, saslServer.getAuthorizationID());
            if (sessionMechanism != null && !authenticated.equals(principal)) {
                data.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                        .setErrorMessage("Cannot change principals during re-authentication");
                fail(
                        ctx,
                        new OutboundResponse(request, new SaslAuthenticateResponse(data)),
                        "re-authentication of " + principal + " as " + authenticated);
                return;
            }
            LOG.debug(
                    "Connection {} {} as {}",
                    connection(ctx),
                    sessionMechanism == null ? "authenticated" : "re-authenticated",
                    authenticated);
            principal = authenticated;
            sessionMechanism = saslServer.getMechanismName();
            state = State.AUTHENTICATED;
            dispose();
            if (sessionLifetimeMs > 0) {
                sessionExpiresNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sessionLifetimeMs);
                data.setSessionLifetimeMs(sessionLifetimeMs); // ignorable: a v0 answer leaves it out
            }
        }
        ctx.writeAndFlush(new OutboundResponse(request, new SaslAuthenticateResponse(data)));
    }

    /** Answers {@code response} if there is one, then closes; logs the refusal once. */
    private void fail(ChannelHandlerContext ctx, OutboundResponse response, String reason) {
        state = State.FAILED;
        dispose();
        LOG.info("Failed authentication with {} ({})", ctx.channel().remoteAddress(), reason);
        if (response == null) {
            ctx.close();
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        dispose();
        super.channelInactive(ctx);
    }

    private void dispose() {
        if (saslServer != null) {
            try {
                saslServer.dispose();
            } catch (SaslException e) {
                LOG.debug("Disposing a SASL server failed", e);
            }
            saslServer = null;
        }
    }

    private static KafkaPrincipal certificatePrincipal(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        try {
            return new KafkaPrincipal(
                    KafkaPrincipal.USER_TYPE,
                    ssl.engine().getSession().getPeerPrincipal().getName());
        } catch (SSLPeerUnverifiedException e) {
            return KafkaPrincipal.ANONYMOUS; // no client certificate (ssl.client.auth none or requested)
        }
    }

    private static String connection(ChannelHandlerContext ctx) {
        ConnectionInfo info = ConnectionTracker.connectionOf(ctx.channel());
        return info == null ? String.valueOf(ctx.channel().remoteAddress()) : info.connectionId();
    }
}
