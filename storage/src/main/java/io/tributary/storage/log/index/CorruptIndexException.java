package io.tributary.storage.log.index;

/**
 * An index file failed its sanity check when opened (size not a multiple of the entry size, last
 * offset below the base offset, decreasing timestamps). The log treats it by rebuilding the index
 * from the {@code .log} file, so this never reaches a client.
 */
public class CorruptIndexException extends RuntimeException {
    public CorruptIndexException(String message) {
        super(message);
    }
}
