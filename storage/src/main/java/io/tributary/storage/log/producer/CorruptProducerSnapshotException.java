package io.tributary.storage.log.producer;

import java.io.File;
import org.apache.kafka.common.KafkaException;

/** A producer snapshot file that is torn, truncated or otherwise not a snapshot; loading skips it. */
public final class CorruptProducerSnapshotException extends KafkaException {

    CorruptProducerSnapshotException(File file, String reason) {
        super("Producer snapshot " + file.getAbsolutePath() + " is corrupt: " + reason);
    }
}
