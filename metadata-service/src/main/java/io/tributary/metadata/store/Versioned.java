package io.tributary.metadata.store;

/**
 * A value read from a znode with the znode's data version, for a later compare-and-set.
 *
 * @param value   the decoded content
 * @param version the znode's data version when it was read
 */
public record Versioned<T>(T value, int version) {}
