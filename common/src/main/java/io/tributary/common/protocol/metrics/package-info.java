/**
 * Micrometer meters of a {@link io.tributary.common.protocol.KafkaProtocolServer}: its requests,
 * as Kafka's {@code kafka.network:type=RequestMetrics}, and its connections, as Kafka's
 * {@code kafka.server:type=socket-server-metrics}. Needs {@code micrometer-core}, an optional
 * dependency of this library that the services have through Spring Boot Actuator.
 */
package io.tributary.common.protocol.metrics;
