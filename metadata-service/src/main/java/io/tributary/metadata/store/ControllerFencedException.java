package io.tributary.metadata.store;

import org.apache.kafka.common.errors.NotControllerException;

/**
 * A controller's write failed because {@code /controller_epoch} moved past the epoch it was
 * elected with: another instance is controller now, and this one must stop acting.
 */
public class ControllerFencedException extends NotControllerException {

    public ControllerFencedException(ControllerEpoch stale) {
        super("Controller epoch " + stale.epoch() + " (znode version " + stale.zkVersion()
                + ") is no longer current: another metadata-service instance is controller");
    }
}
