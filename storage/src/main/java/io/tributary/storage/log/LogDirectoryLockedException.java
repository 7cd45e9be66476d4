package io.tributary.storage.log;

import java.nio.file.Path;
import org.apache.kafka.common.KafkaException;

/**
 * Another broker (another process, or another {@link LogManager} in this JVM) holds the
 * {@code .lock} file of a log directory. Two brokers must never share a directory.
 */
public class LogDirectoryLockedException extends KafkaException {

    private final Path logDir;

    public LogDirectoryLockedException(Path logDir) {
        super("Failed to acquire lock on file " + LogFileNames.LOCK_FILE_NAME + " in " + logDir.toAbsolutePath()
                + ": another broker process or LogManager is using this log directory");
        this.logDir = logDir;
    }

    public Path logDir() {
        return logDir;
    }
}
