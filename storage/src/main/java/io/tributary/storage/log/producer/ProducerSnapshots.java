package io.tributary.storage.log.producer;

import io.tributary.storage.log.LogFileNames;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer-state snapshots of one partition: the {@code {offset:020d}.snapshot} files
 * ({@link ProducerSnapshotFile}) in its log directory, taken when a segment rolls (at the new
 * segment's base offset) and at a clean shutdown (at the log end offset), as Kafka takes them.
 *
 * <p>At most {@value #RETAINED} are kept, and none below the log start offset: a snapshot is
 * usable only if every batch from it to the log end is still in the log, since loading replays
 * exactly those. A snapshot past the log end (the log was truncated under it) describes batches
 * that are gone and is deleted.
 *
 * <p>Crash behaviour: a snapshot is renamed into place whole; one written at a roll is not
 * fsynced (the log's own flush comes later too), so a crash may leave it torn, and
 * {@link #loadLatest} then skips it with one WARN line and tries the next older one. Leftover
 * {@code .tmp} files are removed by the log loader. The state itself is the broker's (its
 * {@code ProducerStateManager}); this class keeps only the files. Not thread-safe: the partition
 * calls it under its monitor.
 */
public final class ProducerSnapshots {

    private static final Logger log = LoggerFactory.getLogger(ProducerSnapshots.class);

    /** Snapshots kept: the newest is the one loaded; older ones are the fallback for a torn one. */
    public static final int RETAINED = 3;

    private static final Pattern SNAPSHOT_NAME =
            Pattern.compile("\\d{20}" + Pattern.quote(LogFileNames.PRODUCER_SNAPSHOT_FILE_SUFFIX));

    /** A snapshot read back: the offset it was taken at and its producers. */
    public record Loaded(long offset, List<ProducerSnapshotFile.Entry> entries) {}

    private final TopicPartition topicPartition;
    private final File dir;

    public ProducerSnapshots(TopicPartition topicPartition, File dir) {
        this.topicPartition = topicPartition;
        this.dir = dir;
    }

    /** Writes the snapshot at {@code offset}, then deletes those below {@code logStartOffset} and all but the newest few. */
    public void write(long offset, Collection<ProducerSnapshotFile.Entry> entries, boolean sync, long logStartOffset)
            throws IOException {
        ProducerSnapshotFile.write(LogFileNames.producerSnapshotFile(dir, offset), entries, sync);
        long[] offsets = offsets();
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] < logStartOffset || i < offsets.length - RETAINED) {
                delete(offsets[i]);
            }
        }
    }

    /**
     * The newest readable snapshot in [{@code logStartOffset}, {@code bound}]. The snapshots
     * outside [{@code logStartOffset}, {@code logEndOffset}] are deleted first; an unreadable one
     * is logged, deleted and passed over for an older one.
     */
    public Optional<Loaded> loadLatest(long logStartOffset, long bound, long logEndOffset) throws IOException {
        deleteIf(offset -> offset < logStartOffset || offset > logEndOffset);
        long[] offsets = offsets();
        for (int i = offsets.length - 1; i >= 0; i--) {
            if (offsets[i] > bound) {
                continue;
            }
            File file = LogFileNames.producerSnapshotFile(dir, offsets[i]);
            try {
                return Optional.of(new Loaded(offsets[i], ProducerSnapshotFile.read(file)));
            } catch (CorruptProducerSnapshotException e) {
                log.warn("{}: skipping producer snapshot at offset {}: {}", topicPartition, offsets[i], e.getMessage());
                delete(offsets[i]);
            }
        }
        return Optional.empty();
    }

    /** Deletes the snapshots whose offset {@code matches}. */
    public void deleteIf(LongPredicate matches) throws IOException {
        for (long offset : offsets()) {
            if (matches.test(offset)) {
                delete(offset);
            }
        }
    }

    /** The offsets of the snapshot files, oldest first. */
    public long[] offsets() {
        String[] names = dir.list((d, name) -> SNAPSHOT_NAME.matcher(name).matches());
        if (names == null) {
            return new long[0];
        }
        return Arrays.stream(names)
                .mapToLong(LogFileNames::offsetFromFileName)
                .sorted()
                .toArray();
    }

    private void delete(long offset) throws IOException {
        Files.deleteIfExists(LogFileNames.producerSnapshotFile(dir, offset).toPath());
    }
}
