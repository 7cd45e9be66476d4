package io.tributary.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.LogFileNames;
import io.tributary.storage.log.index.AbortedTxn;
import io.tributary.storage.log.index.OffsetPosition;
import io.tributary.storage.log.index.TimestampOffset;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Kafka's own {@code kafka.tools.DumpLogSegments} (from {@code org.apache.kafka:kafka_2.13},
 * the same Kafka version as kafka-clients) in a child JVM, since it may {@code System.exit}, and
 * parses what it prints. The classpath comes from {@code target/dump-log-segments.classpath},
 * which the module's {@code maven-dependency-plugin} writes at {@code generate-test-resources};
 * so tests using this run through Maven. Shared with integration-tests through the test-jar.
 */
public final class KafkaDumpLogSegments {

    private static final Pattern BATCH = Pattern.compile("^baseOffset: (\\d+) lastOffset: (\\d+) count: (\\d+) .*"
            + "partitionLeaderEpoch: (-?\\d+) .* position: (\\d+) CreateTime: (-?\\d+) size: (\\d+) magic: 2 "
            + "compresscodec: \\w+ crc: \\d+ isvalid: (true|false)$");
    private static final Pattern RECORD = Pattern.compile("^\\| offset: (\\d+) CreateTime: (-?\\d+) .*");
    private static final Pattern INDEX_ENTRY = Pattern.compile("^offset: (\\d+) position: (\\d+)$");
    private static final Pattern TIME_INDEX_ENTRY = Pattern.compile("^timestamp: (-?\\d+) offset: (\\d+)$");
    private static final Pattern TXN_INDEX_ENTRY = Pattern.compile(
            "^version: 0 producerId: (-?\\d+) firstOffset: (\\d+) " + "lastOffset: (\\d+) lastStableOffset: (\\d+)$");
    /** What the tool prints about an index that does not match its log, or a log it cannot read. */
    private static final List<String> ERROR_MARKERS = List.of(
            "Mismatches in",
            "mismatch",
            "out of order",
            "not found in the log",
            "Non-consecutive",
            "invalid bytes",
            "Exception");

    private KafkaDumpLogSegments() {}

    /** One batch as the tool printed it. */
    public record DumpedBatch(
            long baseOffset,
            long lastOffset,
            int count,
            int leaderEpoch,
            long position,
            long maxTimestamp,
            int size,
            boolean valid) {}

    /** The tool's output, per dumped file. */
    public record Dump(Map<String, List<String>> sections, String stderr, int exitCode) {

        public List<DumpedBatch> batches(File logFile) {
            List<DumpedBatch> batches = new ArrayList<>();
            for (String line : section(logFile)) {
                Matcher m = BATCH.matcher(line);
                if (m.matches()) {
                    batches.add(new DumpedBatch(
                            Long.parseLong(m.group(1)),
                            Long.parseLong(m.group(2)),
                            Integer.parseInt(m.group(3)),
                            Integer.parseInt(m.group(4)),
                            Long.parseLong(m.group(5)),
                            Long.parseLong(m.group(6)),
                            Integer.parseInt(m.group(7)),
                            Boolean.parseBoolean(m.group(8))));
                }
            }
            return batches;
        }

        public List<Long> recordOffsets(File logFile) {
            List<Long> offsets = new ArrayList<>();
            for (String line : section(logFile)) {
                Matcher m = RECORD.matcher(line);
                if (m.matches()) {
                    offsets.add(Long.parseLong(m.group(1)));
                }
            }
            return offsets;
        }

        public List<OffsetPosition> indexEntries(File indexFile) {
            List<OffsetPosition> entries = new ArrayList<>();
            for (String line : section(indexFile)) {
                Matcher m = INDEX_ENTRY.matcher(line);
                if (m.matches()) {
                    entries.add(new OffsetPosition(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))));
                }
            }
            return entries;
        }

        public List<TimestampOffset> timeIndexEntries(File timeIndexFile) {
            List<TimestampOffset> entries = new ArrayList<>();
            for (String line : section(timeIndexFile)) {
                Matcher m = TIME_INDEX_ENTRY.matcher(line);
                if (m.matches()) {
                    entries.add(new TimestampOffset(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                }
            }
            return entries;
        }

        /** The aborted transactions the tool read from a {@code .txnindex} file. */
        public List<AbortedTxn> txnIndexEntries(File txnIndexFile) {
            List<AbortedTxn> entries = new ArrayList<>();
            for (String line : section(txnIndexFile)) {
                Matcher m = TXN_INDEX_ENTRY.matcher(line);
                if (m.matches()) {
                    entries.add(new AbortedTxn(
                            Long.parseLong(m.group(1)),
                            Long.parseLong(m.group(2)),
                            Long.parseLong(m.group(3)),
                            Long.parseLong(m.group(4))));
                }
            }
            return entries;
        }

        /** Every line printed for every file. */
        public String stdout() {
            return String.join(
                    "\n", sections.values().stream().flatMap(List::stream).toList());
        }

        /** Exit code 0 and none of the tool's complaints about a log or an index. */
        public void assertNoToolErrors() {
            assertThat(exitCode).as("exit code, stderr: %s", stderr).isZero();
            String stdout = stdout();
            for (String marker : ERROR_MARKERS) {
                assertThat(stderr).as("stderr").doesNotContain(marker);
                assertThat(stdout).as("stdout").doesNotContain(marker);
            }
        }

        private List<String> section(File file) {
            return sections.getOrDefault(file.getAbsolutePath(), List.of());
        }
    }

    /**
     * Runs the tool on every segment and index file of the partition directory {@code dir};
     * its output goes to files under {@code workDir}.
     */
    public static Dump run(File dir, Path workDir, String... extraArgs) throws IOException, InterruptedException {
        List<String> files = new ArrayList<>();
        for (File f : Objects.requireNonNull(dir.listFiles())) {
            if (LogFileNames.isLogFile(f) || LogFileNames.isIndexFile(f)) {
                files.add(f.getAbsolutePath());
            }
        }
        files.sort(null);
        Path classpathFile = Path.of("target", "dump-log-segments.classpath");
        assertThat(classpathFile)
                .as("classpath file written by maven-dependency-plugin at "
                        + "generate-test-resources; run the test through Maven")
                .exists();
        String classpath =
                Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        Files.createDirectories(workDir);
        // one --files argument must stay under Linux's 128 KiB limit for a single argument
        Map<String, List<String>> sections = new LinkedHashMap<>();
        StringBuilder stderr = new StringBuilder();
        int exitCode = 0;
        int from = 0;
        while (from < files.size()) {
            int to = from;
            int length = 0;
            while (to < files.size() && (to == from || length + files.get(to).length() + 1 < 60_000)) {
                length += files.get(to).length() + 1;
                to++;
            }
            exitCode = Math.max(
                    exitCode, runOnce(classpath, files.subList(from, to), workDir, extraArgs, sections, stderr));
            from = to;
        }
        return new Dump(sections, stderr.toString(), exitCode);
    }

    private static int runOnce(
            String classpath,
            List<String> files,
            Path workDir,
            String[] extraArgs,
            Map<String, List<String>> sections,
            StringBuilder stderr)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                "kafka.tools.DumpLogSegments",
                "--files",
                String.join(",", files)));
        command.addAll(List.of(extraArgs));
        Path stdoutFile = workDir.resolve("dump-" + System.nanoTime() + ".out");
        Path stderrFile = workDir.resolve("dump-" + System.nanoTime() + ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdoutFile.toFile())
                .redirectError(stderrFile.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("DumpLogSegments did not finish in 120 s");
        }
        List<String> current = null;
        for (String line : Files.readAllLines(stdoutFile, StandardCharsets.UTF_8)) {
            if (line.startsWith("Dumping ")) {
                current = new ArrayList<>();
                sections.put(new File(line.substring("Dumping ".length())).getAbsolutePath(), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        stderr.append(Files.readString(stderrFile, StandardCharsets.UTF_8));
        return process.exitValue();
    }
}
