package io.tributary.spring.autoconfigure;

/** The producer's {@code acks} setting as Kafka means it. */
public final class ProducerAcks {

    private ProducerAcks() {}

    /**
     * {@code all}, {@code 1} or {@code 0} for a configured {@code acks} value: {@code -1} is
     * {@code all}, and unset is kafka-clients' default, {@code all}.
     */
    public static String of(Object configured) {
        String value = configured == null ? "all" : configured.toString().trim();
        return value.equals("-1") ? "all" : value;
    }
}
