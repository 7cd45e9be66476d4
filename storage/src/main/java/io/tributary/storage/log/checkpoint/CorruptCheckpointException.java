package io.tributary.storage.log.checkpoint;

/**
 * A checkpoint file does not parse: wrong version, count or line format. Carries the path and
 * the offending line. A checkpoint is always written whole (temp file, fsync, rename), so this
 * means outside damage, not a crash.
 */
public class CorruptCheckpointException extends RuntimeException {
    public CorruptCheckpointException(String message) {
        super(message);
    }
}
