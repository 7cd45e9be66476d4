package io.tributary.broker.quota;

import java.util.Arrays;
import java.util.Optional;

/** The quotas a user or client id can have, under the config keys Kafka uses for them. */
public enum QuotaType {
    /** Bytes a second of Produce requests. */
    PRODUCE("producer_byte_rate", true),
    /** Bytes a second of Fetch responses (consumers only, never followers). */
    FETCH("consumer_byte_rate", true),
    /** Time handling the client's requests, as a percentage of one thread. */
    REQUEST("request_percentage", false);

    private final String key;
    private final boolean integral;

    QuotaType(String key, boolean integral) {
        this.key = key;
        this.integral = integral;
    }

    /** The config key, e.g. {@code producer_byte_rate}. */
    public String key() {
        return key;
    }

    /** Whether values are whole numbers (the byte rates: Kafka's LONG keys). */
    boolean integral() {
        return integral;
    }

    static Optional<QuotaType> forKey(String key) {
        return Arrays.stream(values()).filter(type -> type.key.equals(key)).findFirst();
    }
}
