package io.tributary.storage.log.epoch;

import io.tributary.storage.log.checkpoint.CheckpointFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start offset of each leader epoch of one partition replica, for the replication protocol
 * (OffsetsForLeaderEpoch, truncation after a leader change) and for the leader epoch that
 * ListOffsets returns.
 *
 * <p><b>Bytes on disk:</b> {@code leader-epoch-checkpoint} in the partition directory, in Kafka's
 * checkpoint format: {@code 0}, the entry count, then one {@code epoch startOffset} line per
 * epoch in increasing order. Rewritten whole (temp file, fsync, rename) on every change except
 * {@link #truncateFromStart} (see there), so a crash leaves the old or the new list. After an
 * unclean stop the log truncates the cache to its recovered end ({@link #truncateFromEnd}).
 *
 * <p><b>Invariants:</b> epochs and start offsets both strictly increase.
 *
 * <p><b>Thread-safety:</b> thread-safe; a read-write lock guards the entries.
 */
public final class LeaderEpochFileCache {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochFileCache.class);

    private final String owner;
    private final CheckpointFile<EpochEntry> checkpoint;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<Integer, EpochEntry> epochs = new TreeMap<>();
    /** Entries changed by {@link #truncateFromStart} and not yet written. */
    private boolean dirty;

    /**
     * Loads the cache from {@code file} (empty if it does not exist).
     *
     * @param owner names the partition in log lines
     */
    public LeaderEpochFileCache(String owner, Path file) throws IOException {
        this.owner = owner;
        this.checkpoint = new CheckpointFile<>(file, e -> e.epoch() + " " + e.startOffset(), fields -> {
            if (fields.length != 2) {
                throw new IllegalArgumentException("expected 'epoch startOffset'");
            }
            return new EpochEntry(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
        });
        for (EpochEntry entry : checkpoint.read()) {
            epochs.put(entry.epoch(), entry);
        }
    }

    public Path file() {
        return checkpoint.file();
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}. Ignored if the latest epoch is the
     * same and starts at or before it. Entries that conflict (same or higher epoch, or same or
     * higher start offset) are removed first, so the list stays monotonic.
     */
    public void assign(int epoch, long startOffset) {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException(
                    "Invalid leader epoch entry (" + epoch + ", " + startOffset + ") for " + owner);
        }
        lock.writeLock().lock();
        try {
            Map.Entry<Integer, EpochEntry> latest = epochs.lastEntry();
            if (latest != null && latest.getKey() == epoch && latest.getValue().startOffset() <= startOffset) {
                return;
            }
            List<EpochEntry> removed = new ArrayList<>();
            epochs.values().removeIf(e -> {
                boolean conflict = e.epoch() >= epoch || e.startOffset() >= startOffset;
                if (conflict) {
                    removed.add(e);
                }
                return conflict;
            });
            if (removed.size() > 1 || (removed.size() == 1 && removed.get(0).epoch() != epoch)) {
                LOG.warn(
                        "Leader epoch cache of {}: new entry ({}, {}) replaced {}", owner, epoch, startOffset, removed);
            }
            epochs.put(epoch, new EpochEntry(epoch, startOffset));
            flush();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The latest epoch, if any. */
    public OptionalInt latestEpoch() {
        lock.readLock().lock();
        try {
            return epochs.isEmpty() ? OptionalInt.empty() : OptionalInt.of(epochs.lastKey());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The first entry (earliest epoch still covering the log), if any. */
    public Optional<EpochEntry> earliestEntry() {
        lock.readLock().lock();
        try {
            return epochs.isEmpty()
                    ? Optional.empty()
                    : Optional.of(epochs.firstEntry().getValue());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The epoch of the record at {@code offset}: the entry with the largest start offset at or below it. */
    public OptionalInt epochForOffset(long offset) {
        lock.readLock().lock();
        try {
            EpochEntry found = null;
            for (EpochEntry e : epochs.values()) {
                if (e.startOffset() <= offset) {
                    found = e;
                } else {
                    break;
                }
            }
            return found == null ? OptionalInt.empty() : OptionalInt.of(found.epoch());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Kafka's OffsetsForLeaderEpoch answer: the largest epoch at or below {@code requestedEpoch}
     * and the start offset of the next epoch after it ({@code logEndOffset} if it is the latest).
     * <ul>
     *   <li>requested = latest: (latest, logEndOffset);</li>
     *   <li>requested below every known epoch: (requested, start offset of the first epoch);</li>
     *   <li>requested above every known epoch, undefined (-1) or empty cache: (-1, -1).</li>
     * </ul>
     */
    public EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        lock.readLock().lock();
        try {
            if (requestedEpoch == EpochEndOffset.UNDEFINED_EPOCH || epochs.isEmpty()) {
                return EpochEndOffset.UNDEFINED;
            }
            if (epochs.lastKey() == requestedEpoch) {
                return new EpochEndOffset(requestedEpoch, logEndOffset);
            }
            Map.Entry<Integer, EpochEntry> higher = epochs.higherEntry(requestedEpoch);
            if (higher == null) {
                return EpochEndOffset.UNDEFINED;
            }
            Map.Entry<Integer, EpochEntry> floor = epochs.floorEntry(requestedEpoch);
            return floor == null
                    ? new EpochEndOffset(requestedEpoch, higher.getValue().startOffset())
                    : new EpochEndOffset(floor.getKey(), higher.getValue().startOffset());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Removes every epoch that starts at or after {@code endOffset} (the log was truncated there). */
    public void truncateFromEnd(long endOffset) {
        lock.writeLock().lock();
        try {
            if (endOffset >= 0
                    && !epochs.isEmpty()
                    && epochs.lastEntry().getValue().startOffset() >= endOffset) {
                epochs.values().removeIf(e -> e.startOffset() >= endOffset);
                flush();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The log now starts at {@code startOffset}: drops epochs that end before it and moves the
     * start of the epoch that covers it up to it.
     *
     * <p>Unlike the other changes this one is not written at once (retention would otherwise
     * fsync a file on the append path every time it deletes a segment): the file is rewritten at
     * the next {@link #flushIfDirty()} or change. A crash in between leaves older entries in the
     * file, which the log trims again when it is loaded with its log start offset.
     */
    public void truncateFromStart(long startOffset) {
        lock.writeLock().lock();
        try {
            EpochEntry floor = null;
            for (EpochEntry e : epochs.values()) {
                if (e.startOffset() <= startOffset) {
                    floor = e;
                } else {
                    break;
                }
            }
            if (floor == null || floor.startOffset() == startOffset && epochs.firstKey() == floor.epoch()) {
                return;
            }
            NavigableMap<Integer, EpochEntry> head = epochs.headMap(floor.epoch(), true);
            head.clear();
            epochs.put(floor.epoch(), new EpochEntry(floor.epoch(), startOffset));
            dirty = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes every entry (the log was emptied and restarted elsewhere). */
    public void clearAndFlush() {
        lock.writeLock().lock();
        try {
            epochs.clear();
            flush();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A snapshot of the entries in epoch order. */
    public List<EpochEntry> epochEntries() {
        lock.readLock().lock();
        try {
            return List.copyOf(epochs.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Writes the file if {@link #truncateFromStart} changed the entries since the last write. */
    public void flushIfDirty() {
        lock.writeLock().lock();
        try {
            if (dirty) {
                flush();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void flush() {
        try {
            checkpoint.write(new ArrayList<>(epochs.values()));
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Failed to write leader epoch checkpoint " + checkpoint.file() + " of " + owner, e);
        }
    }
}
