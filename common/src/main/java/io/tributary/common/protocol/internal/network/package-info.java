/**
 * Netty pipeline of {@link io.tributary.common.protocol.KafkaProtocolServer}: not API; services
 * use the types of {@code io.tributary.common.protocol} only. See
 * {@link io.tributary.common.protocol.internal.network.ProtocolChannelInitializer} for the order
 * of the handlers.
 */
package io.tributary.common.protocol.internal.network;
