/**
 * The Kafka-protocol server plumbing shared by broker-service and group-coordinator: a Netty
 * listener that speaks the Kafka wire protocol with kafka-clients' own message classes and
 * hands each request to one {@link io.tributary.common.protocol.ApiHandler} per API key.
 *
 * <h2>Serving APIs</h2>
 * <ol>
 *   <li>Implement an {@link io.tributary.common.protocol.ApiHandler} per API: its key, its
 *   version range (within what the pinned kafka-clients supports) and
 *   {@code CompletableFuture<HandlerResult> handle(DecodedRequest)}. It runs on a Netty event
 *   loop and must not block; complete the future later from any thread.</li>
 *   <li>Register them: {@code ApiHandlerRegistry.builder().register(h1).register(h2).build()}.
 *   ApiVersions is answered from the registry automatically.</li>
 *   <li>{@code new KafkaProtocolServer(ProtocolServerConfig.of(host, port), registry).start()}.</li>
 * </ol>
 *
 * <h2>Pipeline (per connection)</h2>
 * idle timeout → connection tracking → frame decoder (size prefix, {@code socket.request.max.bytes})
 * → request decoder (copy out of the pooled buffer, parse into a
 * {@link io.tributary.common.protocol.DecodedRequest}) → dispatcher (handler per key, responses in
 * request order) → response encoder (header + body, {@code FileRecords} as zero-copy file
 * regions). The Netty classes live in {@code internal.network} and are not API.
 *
 * <h2>Errors</h2>
 * Bad input (oversized, malformed, unknown API, unsupported version) closes the connection
 * with one log line, as Kafka does. Handler failures become error responses through
 * {@link io.tributary.common.protocol.ErrorMapper}.
 */
package io.tributary.common.protocol;
