package io.tributary.storage.log;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log directories of a {@link LogManager} that are offline: a directory goes offline, for the
 * life of the manager, once one of its logs went offline on an I/O error or its checkpoints could
 * not be written (a full or failed disk). It is logged once, at ERROR, by the thread that finds it.
 * The manager then writes no more checkpoints there, places no new logs there and writes no
 * clean-shutdown marker there, so the next start rescans it; its other logs go offline at their own
 * first I/O error. Recovery is on restart: a directory is online again when the next manager loads
 * it. Nothing of this is stored on disk.
 *
 * <p><b>Thread-safety:</b> thread-safe; the set only grows.
 */
final class OfflineLogDirs {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineLogDirs.class);

    private final List<Path> logDirs;
    private final Set<Path> offline = ConcurrentHashMap.newKeySet();

    OfflineLogDirs(List<Path> logDirs) {
        this.logDirs = logDirs;
    }

    /** Takes the directory of each offline log among {@code logs} offline, then answers every offline directory. */
    Set<Path> update(Collection<PartitionLog> logs) {
        for (PartitionLog log : logs) {
            if (log.isOffline()) {
                markOffline(log.dir().toPath().getParent(), "partition " + log.topicPartition() + " went offline");
            }
        }
        return Set.copyOf(offline);
    }

    /** Takes {@code dir} offline for {@code reason}, logged if it was online. */
    void markOffline(Path dir, String reason) {
        if (offline.add(dir)) {
            LOG.error(
                    "Log directory {} is offline: {}; its partitions answer KAFKA_STORAGE_ERROR, new logs go to {},"
                            + " and it is recovered at the next start",
                    dir,
                    reason,
                    logDirs.stream().filter(d -> !offline.contains(d)).toList());
        }
    }
}
