package io.tributary.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How a {@link TributaryCluster} runs a service module, as {@code bin/tributary-local} does: from
 * its jar extracted with Spring Boot's jarmode tools (the application jar and {@code lib/}, a
 * plain class path), which a JVM starts from with less CPU than from the nested jars of the
 * executable one (docs/operations.md, "Start time and memory"). The IT classes start dozens of
 * services; each module is extracted once into {@code target/it-apps/{module}/}, again when the
 * built jar changed.
 *
 * <p>Thread-safe: one instance per Failsafe JVM, used by every cluster in it.
 */
final class ServiceJars {

    private static final ServiceJars INSTANCE = new ServiceJars();

    private final Path root =
            Path.of(System.getProperty("tributary.root", "..")).toAbsolutePath().normalize();
    private final Path apps =
            Path.of(System.getProperty("tributary.it.apps", "target/it-apps")).toAbsolutePath();

    static ServiceJars get() {
        return INSTANCE;
    }

    /** The extracted application jar of {@code module}: the built jar's name, its libraries in {@code lib/} beside it. */
    synchronized Path jar(String module) {
        return appJar(extracted(module));
    }

    /** {@code target/it-apps/{module}}, holding the extraction of the module's current jar. */
    private Path extracted(String module) {
        Path jar = builtJar(module);
        Path dir = apps.resolve(module);
        try {
            String stamp = jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar);
            Path stampFile = dir.resolve(".source");
            if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
                return dir;
            }
            deleteRecursively(dir);
            Files.createDirectories(dir);
            extract(jar, dir.resolve("jar"));
            Files.writeString(stampFile, stamp);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + jar, e);
        }
    }

    private static void extract(Path jar, Path destination) throws IOException {
        Process process = new ProcessBuilder(
                        TributaryCluster.javaBinary(),
                        "-Djarmode=tools",
                        "-jar",
                        jar.toString(),
                        "extract",
                        "--destination",
                        destination.toString())
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("extracting " + jar + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while extracting " + jar, e);
        }
    }

    private static Path appJar(Path dir) {
        try (Stream<Path> files = Files.list(dir.resolve("jar"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar extracted in " + dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path builtJar(String module) {
        Path target = root.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches(module + "-.*-exec\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + target + ": run mvn package"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
