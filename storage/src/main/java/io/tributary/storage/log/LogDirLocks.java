package io.tributary.storage.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * The locks a {@link LogManager} holds on its log directories for its whole life, so that no
 * second broker (or second manager in the same JVM) opens them.
 *
 * <p><b>On disk:</b> an empty {@code .lock} file in each directory ({@link LogFileNames#LOCK_FILE_NAME}),
 * locked with {@link FileChannel#tryLock()}. It is created if missing and never deleted: the
 * operating system drops the lock when the process dies, so a crash leaves nothing to clean up.
 *
 * <p><b>Thread-safety:</b> not thread-safe: the manager locks its directories while it starts and
 * releases them once, when it shuts down or gives up starting.
 */
final class LogDirLocks {

    private final Map<Path, FileChannel> channels = new LinkedHashMap<>();
    private final Map<Path, FileLock> locks = new LinkedHashMap<>();

    /**
     * Creates {@code dir} if needed and locks it.
     *
     * @throws LogDirectoryLockedException naming {@code dir} if another process or manager holds its lock
     */
    void lock(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(
                dir.resolve(LogFileNames.LOCK_FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by another manager in this JVM
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new LogDirectoryLockedException(dir);
        }
        channels.put(dir, channel);
        locks.put(dir, lock);
    }

    /** Releases every lock taken and closes the lock files; failures are logged, not thrown. */
    void releaseAll() {
        for (Map.Entry<Path, FileLock> entry : locks.entrySet()) {
            Utils.closeQuietly(entry.getValue()::release, "lock of " + entry.getKey());
            Utils.closeQuietly(channels.get(entry.getKey()), "lock file of " + entry.getKey());
        }
        locks.clear();
        channels.clear();
    }
}
