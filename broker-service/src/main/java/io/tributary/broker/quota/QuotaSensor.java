package io.tributary.broker.quota;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * The rate of one quota's usage (bytes, or request-time percent, a second) over Kafka's sliding
 * window of {@code quota.window.num} samples of {@code quota.window.size.seconds}, measured with
 * kafka-clients' own {@link Rate}: while fewer samples than the window have elapsed, the rate is
 * taken over at least {@code num - 1} sample lengths, so a new client is not throttled for its
 * first burst (what Kafka does too).
 *
 * <p>The throttle time is Kafka's: how long the client must stay silent for the rate over the
 * window to fall back to the bound, {@code (rate - bound) / bound × window}; Kafka bounds it by one
 * sample length only for the request-time quota, and so do we.
 *
 * <p>Thread-safe (the {@link Rate} is not: every access holds this object's lock).
 */
final class QuotaSensor {

    private final MetricConfig config;
    private final Rate rate = new Rate(TimeUnit.SECONDS);
    private final long maxThrottleMs;
    private volatile long lastRecordMs;
    private volatile long throttleMsTotal;
    private volatile long throttledCount;

    /** @param bounded whether the throttle time is capped at one sample ({@code request_percentage}) */
    QuotaSensor(int samples, long sampleMs, boolean bounded, long nowMs) {
        this.config = new MetricConfig().samples(samples).timeWindow(sampleMs, TimeUnit.MILLISECONDS);
        this.maxThrottleMs = bounded ? sampleMs : Long.MAX_VALUE;
        this.lastRecordMs = nowMs;
    }

    /** Records {@code value} at {@code nowMs}; returns how long to throttle (0 while within {@code bound}). */
    synchronized long record(double value, double bound, long nowMs) {
        lastRecordMs = nowMs;
        rate.record(config, value, nowMs);
        double observed = rate.measure(config, nowMs);
        if (observed <= bound) {
            return 0;
        }
        double windowMs = rate.windowSize(config, nowMs);
        long throttleMs = Math.min(maxThrottleMs, Math.round((observed - bound) / bound * windowMs));
        throttleMsTotal += throttleMs;
        throttledCount++;
        return throttleMs;
    }

    /** The rate over the window at {@code nowMs}. */
    synchronized double rate(long nowMs) {
        return rate.measure(config, nowMs);
    }

    long lastRecordMs() {
        return lastRecordMs;
    }

    /** Total throttle time handed out, in milliseconds. */
    long throttleMsTotal() {
        return throttleMsTotal;
    }

    long throttledCount() {
        return throttledCount;
    }
}
