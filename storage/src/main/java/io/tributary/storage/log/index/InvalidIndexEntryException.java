package io.tributary.storage.log.index;

/**
 * An append to an index would break its invariants: an offset not above the last entry, an
 * offset that does not fit in 32 bits relative to the base offset, or a full index. A bug in the
 * caller, never a disk fault.
 */
public class InvalidIndexEntryException extends RuntimeException {
    public InvalidIndexEntryException(String message) {
        super(message);
    }
}
