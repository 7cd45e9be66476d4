/**
 * Service-to-service Kafka-protocol calls (forwarding group and admin requests, replica
 * fetching), as a thin asynchronous adapter over kafka-clients' own {@code NetworkClient}.
 * A request received from a client can be relayed as it is or, so that the receiving service
 * sees the client rather than the relaying service, inside an Envelope (KIP-590).
 */
package io.tributary.common.protocol.client;
