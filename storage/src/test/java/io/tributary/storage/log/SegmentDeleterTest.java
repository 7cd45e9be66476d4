package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static io.tributary.storage.log.Segments.config;
import static io.tributary.storage.log.Segments.segmentWithBatches;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentDeleterTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static File deleted(File file) {
        return new File(file.getPath() + LogFileNames.DELETED_FILE_SUFFIX);
    }

    @Test
    void shouldRenameAtOnceAndDeleteAfterTheDelay() throws Exception {
        File dir = tmp.toFile();
        LogSegment segment = segmentWithBatches(dir, 0, 2, config(), clock);
        List<File> files =
                LogFileNames.segmentFiles(dir, 0).stream().filter(File::exists).toList();
        assertThat(files).hasSize(3);
        SegmentDeleter deleter = new SegmentDeleter(new TopicPartition("orders", 0), scheduler);

        deleter.deleteLater(List.of(segment), "test", 300);

        for (File file : files) {
            assertThat(file).doesNotExist();
            assertThat(deleted(file)).exists();
        }
        // the renamed file stays readable for a reader that took a slice before the rename
        assertThat(segment.log().slice(0, segment.size()).batches()).hasSize(2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (deleted(files.get(0)).exists() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        for (File file : files) {
            assertThat(deleted(file)).doesNotExist();
        }
    }

    @Test
    void shouldLeaveRenamedFilesForTheNextLoadWhenTheSchedulerIsShutDown() throws Exception {
        File dir = tmp.toFile();
        LogSegment segment = segmentWithBatches(dir, 0, 1, config(), clock);
        scheduler.shutdown();
        SegmentDeleter deleter = new SegmentDeleter(new TopicPartition("orders", 0), scheduler);

        deleter.deleteLater(List.of(segment), "test", 0);

        assertThat(deleted(LogFileNames.logFile(dir, 0))).exists();
        segment.closeHandlers();
    }
}
