package io.tributary.common.protocol;

import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Per-request measurements of a {@link KafkaProtocolServer}, as Kafka's
 * {@code kafka.network:type=RequestMetrics}: how long each request took from being read to its
 * response being written, and the error codes its response carried. The dispatcher calls it for
 * every request, so an implementation must be cheap: no string-keyed lookups, no allocation
 * beyond what recording itself needs.
 *
 * <p>{@link #NONE}, the default, records nothing: a server built without a meter registry (unit
 * tests, a plain library user) pays only two {@code System.nanoTime()} calls per request.
 * {@code io.tributary.common.protocol.metrics.MicrometerRequestMetrics} is the Micrometer one.
 *
 * <p>Threading: called from every event loop at once; implementations must be thread-safe.
 */
public interface RequestMetrics {

    /** Records nothing. */
    RequestMetrics NONE = new RequestMetrics() {
        @Override
        public void responseErrors(DecodedRequest request, AbstractResponse response) {}

        @Override
        public void requestCompleted(DecodedRequest request, long totalNanos) {}
    };

    /**
     * The response to {@code request} is about to be written: counts the error codes it carries
     * ({@code NONE} included, one per partition where the response has partitions, as Kafka's
     * {@code ErrorsPerSec}). Not called for a request answered with no response ({@code acks=0})
     * or by closing the connection.
     */
    void responseErrors(DecodedRequest request, AbstractResponse response);

    /**
     * {@code request} is finished: its response was written to the socket, or it needed none
     * ({@code acks=0}), or it closed the connection. {@code totalNanos} runs from the dispatcher
     * taking the request to that moment, so it includes any time the request was parked (a
     * long-polled Fetch, an {@code acks=all} Produce) and waited behind earlier responses on its
     * connection: Kafka's {@code TotalTimeMs}.
     */
    void requestCompleted(DecodedRequest request, long totalNanos);
}
