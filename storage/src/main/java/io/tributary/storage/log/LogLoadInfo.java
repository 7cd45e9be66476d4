package io.tributary.storage.log;

/**
 * What opening a {@link PartitionLog} found.
 *
 * @param hadCleanShutdown   the caller said the previous stop was clean, so no segment was rescanned
 *                           unless its indexes were missing or corrupt
 * @param segments           segments loaded
 * @param segmentsRecovered  segments rescanned (index rebuild, tail validation)
 * @param bytesTruncated     bytes of torn or corrupt tail removed, including deleted later segments
 */
public record LogLoadInfo(boolean hadCleanShutdown, int segments, int segmentsRecovered, long bytesTruncated) {}
