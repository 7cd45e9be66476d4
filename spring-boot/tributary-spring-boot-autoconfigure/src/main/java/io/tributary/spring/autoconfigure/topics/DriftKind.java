package io.tributary.spring.autoconfigure.topics;

/** One way a declared topic can differ from the cluster's, and whether it can be fixed in place. */
public enum DriftKind {
    /** The topic does not exist: created at startup. */
    MISSING(Classification.SAFE_TO_RECONCILE),
    /** Fewer partitions than declared: partitions can be added. */
    PARTITIONS_LOWER(Classification.SAFE_TO_RECONCILE),
    /** More partitions than declared: partitions are never removed. */
    PARTITIONS_HIGHER(Classification.UNSUPPORTED),
    /** A different replication factor: needs a reassignment, which the starter does not do. */
    REPLICATION_FACTOR(Classification.UNSUPPORTED),
    /** A config with another value than declared: set in place. */
    CONFIG(Classification.SAFE_TO_RECONCILE);

    private final Classification classification;

    DriftKind(Classification classification) {
        this.classification = classification;
    }

    public Classification classification() {
        return classification;
    }

    /** How far a topic, or one difference, is from its declaration; later constants are worse. */
    public enum Classification {
        IN_SYNC,
        SAFE_TO_RECONCILE,
        UNSUPPORTED
    }
}
