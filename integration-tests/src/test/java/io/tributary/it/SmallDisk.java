package io.tributary.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small tmpfs a test mounts on a directory of its own, to fill it and see what a service does
 * on a full disk. Needs root ({@code mount -t tmpfs}); {@link #mount} says whether it worked so
 * the test can skip with the reason. {@link #close} unmounts it whatever happened (lazily if a
 * process still holds a file there).
 */
final class SmallDisk implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmallDisk.class);

    private final Path dir;
    private boolean mounted;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code 2m}) on {@code dir}, created if needed; check {@link #isMounted()}. */
    static SmallDisk mount(Path dir, String size) throws IOException {
        Files.createDirectories(dir);
        SmallDisk disk = new SmallDisk(dir);
        disk.mounted = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tributary-it-small-disk", dir.toString());
        return disk;
    }

    boolean isMounted() {
        return mounted;
    }

    Path dir() {
        return dir;
    }

    /** Writes zeros to {@code name} in this disk until the file system refuses; returns the bytes written. */
    long fill(String name) throws IOException {
        byte[] chunk = new byte[4096];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        log.info("Filled {} with {} bytes of {}", dir, written, name);
        return written;
    }

    /** Deletes what {@link #fill} wrote: the space is back. */
    void free(String name) throws IOException {
        Files.delete(dir.resolve(name));
    }

    @Override
    public void close() {
        if (mounted && !run("umount", dir.toString())) {
            // a process we lost track of still holds a file there: detach it anyway
            run("umount", "-l", dir.toString());
        }
        mounted = false;
    }

    private static boolean run(String... command) {
        return SystemCommand.run(List.of(command));
    }
}
