package io.tributary.storage.log.cleaner;

/**
 * What one cleaning of a log did.
 *
 * @param replaced          false if the log changed under the cleaning (truncation, retention) and
 *                          the cleaned files were thrown away; the checkpoint then stays
 * @param endOffset         the new first dirty offset: everything below it is clean
 * @param segmentsCleaned   old segments read and replaced
 * @param bytesRead         bytes of old segments read (offset map and copy)
 * @param bytesWritten      bytes of cleaned segments written
 * @param recordsRead       records read while copying
 * @param recordsRetained   records kept
 * @param latestDeleteHorizon the latest delete horizon of a kept tombstone batch, -1 if none: the
 *                          log is worth cleaning again after it even if it stays clean
 * @param durationMs        wall time of the cleaning
 */
public record CleaningResult(
        boolean replaced,
        long endOffset,
        int segmentsCleaned,
        long bytesRead,
        long bytesWritten,
        long recordsRead,
        long recordsRetained,
        long latestDeleteHorizon,
        long durationMs) {}
