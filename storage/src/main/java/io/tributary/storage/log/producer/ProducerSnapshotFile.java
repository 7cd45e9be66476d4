package io.tributary.storage.log.producer;

import java.io.File;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.utils.ByteUtils;
import org.apache.kafka.common.utils.Crc32C;

/**
 * The bytes of one producer-state snapshot, {@code {offset:020d}.snapshot}: the producers of a
 * partition as they stood after every batch below {@code offset}. The format is Kafka's
 * {@code ProducerSnapshot} version 1, so Kafka's {@code DumpLogSegments} reads our files:
 *
 * <pre>
 *   int16  version (1)
 *   uint32 crc      CRC-32C of every byte after this field
 *   int32  count    of the entries that follow, each 46 bytes:
 *     int64 producerId
 *     int16 epoch
 *     int32 lastSequence            of the producer's last data batch (-1 if none)
 *     int64 lastOffset              of that batch (-1 if none)
 *     int32 offsetDelta             lastOffset minus the batch's base offset
 *     int64 timestamp               that batch's max timestamp (-1 if none)
 *     int32 coordinatorEpoch        -1: the partition does not track it
 *     int64 currentTxnFirstOffset   first offset of the producer's open transaction, -1 if none
 * </pre>
 *
 * <p>A file is written whole to a {@code .tmp} file and renamed into place, so a reader never
 * sees a half-written name; a crash may still leave garbage in a renamed file that was not
 * fsynced, which {@link #read} refuses ({@link CorruptProducerSnapshotException}: short file,
 * unknown version, wrong count or CRC). Stateless; thread-safe.
 */
public final class ProducerSnapshotFile {

    public static final short VERSION = 1;
    private static final int CRC_POSITION = 2;
    private static final int ENTRIES_POSITION = CRC_POSITION + 4;
    private static final int ENTRY_SIZE = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

    /** One producer in a snapshot; fields as in the file. */
    public record Entry(
            long producerId,
            short epoch,
            int lastSequence,
            long lastOffset,
            int offsetDelta,
            long timestamp,
            int coordinatorEpoch,
            long currentTxnFirstOffset) {}

    private ProducerSnapshotFile() {}

    /** Writes {@code entries} to {@code file} (temp file, then an atomic rename); fsyncs when {@code sync}. */
    public static void write(File file, Collection<Entry> entries, boolean sync) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(ENTRIES_POSITION + 4 + entries.size() * ENTRY_SIZE);
        buffer.putShort(VERSION).putInt(0).putInt(entries.size());
        for (Entry e : entries) {
            buffer.putLong(e.producerId())
                    .putShort(e.epoch())
                    .putInt(e.lastSequence())
                    .putLong(e.lastOffset())
                    .putInt(e.offsetDelta())
                    .putLong(e.timestamp())
                    .putInt(e.coordinatorEpoch())
                    .putLong(e.currentTxnFirstOffset());
        }
        buffer.flip();
        long crc = Crc32C.compute(buffer, ENTRIES_POSITION, buffer.limit() - ENTRIES_POSITION);
        ByteUtils.writeUnsignedInt(buffer, CRC_POSITION, crc);
        File tmp = new File(file.getPath() + ".tmp");
        try (FileChannel channel = FileChannel.open(
                tmp.toPath(),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (sync) {
                channel.force(true);
            }
        }
        Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Reads the entries of {@code file}.
     *
     * @throws CorruptProducerSnapshotException when the bytes are not a whole, intact snapshot
     */
    public static List<Entry> read(File file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file.toPath()));
        try {
            short version = buffer.getShort(0);
            if (version != VERSION) {
                throw new CorruptProducerSnapshotException(file, "unknown version " + version);
            }
            long storedCrc = ByteUtils.readUnsignedInt(buffer, CRC_POSITION);
            long crc = Crc32C.compute(buffer, ENTRIES_POSITION, buffer.limit() - ENTRIES_POSITION);
            buffer.position(ENTRIES_POSITION);
            if (storedCrc != crc) {
                throw new CorruptProducerSnapshotException(
                        file, "CRC " + crc + " does not match the stored " + storedCrc);
            }
            int count = buffer.getInt();
            if (count < 0 || (long) count * ENTRY_SIZE != buffer.remaining()) {
                throw new CorruptProducerSnapshotException(
                        file, count + " entries announced in " + buffer.remaining() + " bytes");
            }
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                entries.add(new Entry(
                        buffer.getLong(),
                        buffer.getShort(),
                        buffer.getInt(),
                        buffer.getLong(),
                        buffer.getInt(),
                        buffer.getLong(),
                        buffer.getInt(),
                        buffer.getLong()));
            }
            return entries;
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new CorruptProducerSnapshotException(file, "truncated at " + buffer.limit() + " bytes");
        }
    }
}
