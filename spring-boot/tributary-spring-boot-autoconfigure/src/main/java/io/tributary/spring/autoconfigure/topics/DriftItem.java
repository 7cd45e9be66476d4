package io.tributary.spring.autoconfigure.topics;

/**
 * One difference between a declared topic and the cluster's.
 *
 * @param kind     what differs
 * @param key      the config key for {@link DriftKind#CONFIG}, otherwise {@code null}
 * @param declared the declared value
 * @param actual   the cluster's value ({@code null} when missing)
 */
public record DriftItem(DriftKind kind, String key, String declared, String actual) {

    public DriftKind.Classification classification() {
        return kind.classification();
    }
}
