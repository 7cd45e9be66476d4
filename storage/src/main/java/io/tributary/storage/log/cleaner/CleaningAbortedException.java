package io.tributary.storage.log.cleaner;

/** Thrown inside a cleaning when the cleaner shuts down; the log is left as it was. */
final class CleaningAbortedException extends RuntimeException {

    CleaningAbortedException(String message) {
        super(message, null, false, false);
    }
}
