package io.tributary.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How a {@link TributaryCluster} runs a service module, as {@code bin/tributary-local} does: from
 * its jar extracted with Spring Boot's jarmode tools (the application jar and {@code lib/}, a
 * plain class path), which a JVM starts from with less CPU than from the nested jars of the
 * executable one (docs/operations.md, "Start time and memory").
 *
 * <p>The IT classes start dozens of services. Where the build's module ({@code
 * local-cluster}, {@code bin/tributary-local prepare}) has extracted the jar just built into
 * {@code var/app/{role}/} and trained its class-data-sharing archive, a service runs from there
 * with that archive, which cuts its start-up CPU by about a third. Otherwise (a build that skipped
 * {@code prepare}, or a jar built after it) each module is extracted once into {@code
 * target/it-apps/{module}/}, again when the built jar changed, and runs without an archive.
 *
 * <p>Thread-safe: one instance per Failsafe JVM, used by every cluster in it; safe across the
 * JVMs of one build too (a file lock).
 */
final class ServiceJars {

    private static final ServiceJars INSTANCE = new ServiceJars();
    /** bin/tributary-local's role of each service module (its directory under var/app). */
    private static final Map<String, String> ROLES = Map.of(
            "broker-service", "broker",
            "metadata-service", "metadata-service",
            "group-coordinator", "group-coordinator");

    private final Path root =
            Path.of(System.getProperty("tributary.root", "..")).toAbsolutePath().normalize();
    private final Path apps =
            Path.of(System.getProperty("tributary.it.apps", "target/it-apps")).toAbsolutePath();

    static ServiceJars get() {
        return INSTANCE;
    }

    /**
     * The JVM arguments that run {@code module}: {@code -jar} and the extracted jar, after the
     * archive's options when the local cluster's prepared copy is of the jar just built.
     */
    synchronized List<String> launchArguments(String module) {
        Path built = builtJar(module);
        Path prepared = root.resolve("var").resolve("app").resolve(ROLES.get(module));
        Path preparedJar = prepared.resolve("jar").resolve(built.getFileName());
        Path archive = prepared.resolve("app.jsa");
        if (Files.isRegularFile(preparedJar) && Files.isRegularFile(archive) && isExtractionOf(prepared, built)) {
            // -Xlog off: a JVM that rejects the archive runs on without it, and says so on stdout
            return List.of(
                    "-XX:SharedArchiveFile=" + archive,
                    "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off",
                    "-jar",
                    preparedJar.toString());
        }
        return List.of("-jar", jar(module).toString());
    }

    /** Whether {@code dir/.source} holds the stamp of {@code jar}: it was extracted from this jar. */
    private static boolean isExtractionOf(Path dir, Path jar) {
        try {
            Path source = dir.resolve(".source");
            return Files.isRegularFile(source)
                    && Files.readString(source).strip().equals(stamp(jar));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * bin/tributary-local's stamp of a built jar ({@code stat -c '%s %Y %Z'}): size, modification
     * and change time in seconds. The build fixes every jar's modification time (reproducible
     * jars); the change time moves whenever the file is written.
     */
    private static String stamp(Path jar) throws IOException {
        FileTime changed = (FileTime) Files.getAttribute(jar, "unix:ctime");
        return Files.size(jar) + " " + Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS) + " "
                + changed.to(TimeUnit.SECONDS);
    }

    /**
     * The extracted application jar of {@code module}: the built jar's name, its libraries in
     * {@code lib/} beside it. Failsafe runs two test JVMs side by side; a file lock keeps the
     * second from reading (or extracting over) what the first is extracting.
     */
    private Path jar(String module) {
        try {
            Files.createDirectories(apps);
            try (FileChannel lockFile = FileChannel.open(
                            apps.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockFile.lock()) {
                return appJar(extracted(module));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock " + apps, e);
        }
    }

    /** {@code target/it-apps/{module}}, holding the extraction of the module's current jar. */
    private Path extracted(String module) {
        Path jar = builtJar(module);
        Path dir = apps.resolve(module);
        try {
            if (isExtractionOf(dir, jar)) {
                return dir;
            }
            deleteRecursively(dir);
            Files.createDirectories(dir);
            extract(jar, dir.resolve("jar"));
            Files.writeString(dir.resolve(".source"), stamp(jar));
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
