package io.tributary.broker.quota;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each quota's usage and says how long to throttle a client over it (Kafka's
 * {@code ClientQuotaManager}): a request is charged to the quota that applies to its user and
 * client id ({@link QuotaConfigs#quota}), in one {@link QuotaSensor} per quota type and sharing
 * entity. A quota changed in ZooKeeper applies to the next request, and the rate measured so far
 * is kept; a request no quota applies to is not measured. Sensors idle for an hour are dropped.
 *
 * <p>Each sensor shows in Micrometer as {@code tributary.quota.rate} (bytes or percent a second
 * over the window; Kafka's {@code byte-rate}/{@code request-time}) and
 * {@code tributary.quota.throttle.time} (milliseconds handed out; Kafka's {@code throttle-time}),
 * tagged {@code type}, {@code user} and {@code client-id}.
 *
 * <p>Thread-safe.
 */
public final class ClientQuotaManager {

    private static final Logger LOG = LoggerFactory.getLogger(ClientQuotaManager.class);
    /** Kafka's {@code InactiveSensorExpirationTimeSeconds}. */
    static final long SENSOR_EXPIRY_MS = 3_600_000;

    private final Supplier<QuotaConfigs> configs;
    private final int samples;
    private final long sampleMs;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<Key, Entry> sensors = new ConcurrentHashMap<>();
    private volatile long lastSweepMs;

    private record Key(QuotaType type, QuotaEntity sharedBy) {}

    private record Entry(QuotaSensor sensor, List<Meter> meters) {}

    ClientQuotaManager(Supplier<QuotaConfigs> configs, int samples, long sampleMs, Clock clock, MeterRegistry meters) {
        this.configs = configs;
        this.samples = samples;
        this.sampleMs = sampleMs;
        this.clock = clock;
        this.meters = meters;
        this.lastSweepMs = clock.millis();
    }

    /**
     * Charges {@code value} (bytes, or percent of a thread) to the quota of {@code type} that
     * applies to {@code user} and {@code clientId}; returns the throttle time in milliseconds, 0
     * when within the quota or when none applies.
     */
    public int record(QuotaType type, String user, String clientId, double value) {
        Optional<QuotaConfigs.Quota> quota = configs.get().quota(type, user, clientId);
        if (quota.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        sweep(now);
        Key key = new Key(type, quota.get().sharedBy());
        QuotaSensor sensor = sensors.computeIfAbsent(key, k -> newEntry(k, now)).sensor();
        long throttleMs = sensor.record(value, quota.get().bound(), now);
        if (throttleMs > 0 && LOG.isDebugEnabled()) {
            LOG.debug(
                    "{} quota {} of {} exceeded by {}: throttled {} ms",
                    type.key(),
                    quota.get().bound(),
                    quota.get().setOn(),
                    key.sharedBy(),
                    throttleMs);
        }
        return (int) Math.min(Integer.MAX_VALUE, throttleMs);
    }

    private Entry newEntry(Key key, long now) {
        QuotaSensor sensor = new QuotaSensor(samples, sampleMs, key.type() == QuotaType.REQUEST, now);
        Tags tags = Tags.of(
                "type", key.type().key(),
                "user", key.sharedBy().user(),
                "client-id", key.sharedBy().clientId());
        List<Meter> registered = List.of(
                Gauge.builder("tributary.quota.rate", sensor, s -> s.rate(clock.millis()))
                        .tags(tags)
                        .description("Usage of a client quota over its window, a second")
                        .register(meters),
                FunctionCounter.builder("tributary.quota.throttle.time", sensor, QuotaSensor::throttleMsTotal)
                        .tags(tags)
                        .baseUnit("milliseconds")
                        .description("Throttle time handed to clients over a quota")
                        .register(meters));
        return new Entry(sensor, registered);
    }

    /** Drops the sensors (and their meters) not used for an hour, at most once a minute. */
    private void sweep(long now) {
        if (now - lastSweepMs < 60_000) {
            return;
        }
        lastSweepMs = now;
        sensors.entrySet().removeIf(entry -> {
            if (now - entry.getValue().sensor().lastRecordMs() < SENSOR_EXPIRY_MS) {
                return false;
            }
            entry.getValue().meters().forEach(meters::remove);
            return true;
        });
    }

    /** How many sensors are live (for tests). */
    int sensorCount() {
        return sensors.size();
    }
}
