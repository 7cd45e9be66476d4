/**
 * Service-to-service Kafka-protocol calls (forwarding group and admin requests, replica
 * fetching), as a thin asynchronous adapter over kafka-clients' own {@code NetworkClient}.
 */
package io.tributary.common.protocol.client;
