package io.tributary.metadata.store;

/**
 * What a controller was elected with: the epoch it wrote to {@code /controller_epoch} and that
 * znode's version afterwards. Every partition-state write checks the version, so a write by a
 * controller that has since been replaced fails in ZooKeeper itself.
 *
 * @param epoch     the controller epoch (1 for the cluster's first controller)
 * @param zkVersion the data version of {@code /controller_epoch} holding {@code epoch}
 */
public record ControllerEpoch(int epoch, int zkVersion) {}
