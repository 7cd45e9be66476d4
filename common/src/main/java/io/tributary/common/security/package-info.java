/**
 * Security of the Kafka-protocol listeners and of the clients services use towards each other:
 * TLS material ({@link io.tributary.common.security.SslConfig}), the server's TLS context with
 * certificate hot reload ({@link io.tributary.common.security.TlsContextSource}) and the
 * per-listener security protocol ({@link io.tributary.common.security.ListenerSecurity}), and the
 * users' SCRAM credential znode ({@link io.tributary.common.security.ScramUserConfig}). ACLs are in
 * {@code security.acl}.
 */
package io.tributary.common.security;
