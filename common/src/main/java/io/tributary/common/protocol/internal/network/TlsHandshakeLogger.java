package io.tributary.common.protocol.internal.network;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right behind the {@code SslHandler}: a failed TLS handshake (an untrusted certificate, a
 * client without the certificate {@code ssl.client.auth=required} asks for, plain text on a TLS
 * port) is a refused client, not a server fault, so it is logged once at INFO with the peer, as
 * Kafka's "Failed authentication with ... (SSL handshake failed)", and the connection closed
 * without the stack trace the dispatcher would log for an unexpected error.
 *
 * <p>One instance per channel; runs on its event loop.
 */
final class TlsHandshakeLogger extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeLogger.class);

    private boolean logged;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            refuse(ctx, done.cause());
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof SSLException) {
            refuse(ctx, root);
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    private void refuse(ChannelHandlerContext ctx, Throwable cause) {
        if (!logged) {
            logged = true;
            LOG.info(
                    "Failed authentication with {} (SSL handshake failed: {})",
                    ctx.channel().remoteAddress(),
                    cause.getMessage());
        }
        ctx.close();
    }
}
