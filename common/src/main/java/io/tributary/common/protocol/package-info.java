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
 * <h2>Requests forwarded on a client's behalf (Envelope, KIP-590)</h2>
 * A service that relays its clients' requests to another service (a broker relaying group
 * requests to the group-coordinator) wraps each in an Envelope with
 * {@code KafkaProtocolClient.relayInEnvelope}: the client's header and body, serialised at the
 * client's version, plus the client's IP address. A service that serves such requests opts in
 * with {@code ApiHandlerRegistry.builder()...unwrapEnvelopes()}: its
 * {@link io.tributary.common.protocol.EnvelopeHandler} parses the inner request and hands it to
 * the handler of the inner API as a {@link io.tributary.common.protocol.DecodedRequest} with the
 * client's header, client id and address (and the forwarder's connection id), then answers with
 * the inner response, header and body at the inner version, inside the envelope's response.
 * Without the opt-in, Envelope is neither advertised nor served, like any unregistered API.
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
