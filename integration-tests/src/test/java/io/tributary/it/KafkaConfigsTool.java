package io.tributary.it;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Exit;

/**
 * Kafka's own {@code kafka-configs} ({@code kafka.admin.ConfigCommand} from the kafka_2.13 test
 * dependency), run in this JVM as an operator would run the script. It reports a failure through
 * Kafka's {@link Exit}, which is turned into an exception here instead of ending the JVM. Not
 * thread-safe: it swaps the standard output while it runs.
 */
final class KafkaConfigsTool {

    private KafkaConfigsTool() {}

    /** Runs {@code kafka-configs args}; returns what it printed. */
    static synchronized String run(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        PrintStream previous = System.out;
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("kafka-configs exited with " + code + ": " + message + "\n" + captured);
        });
        System.setOut(out);
        try {
            // the Scala tool prints through scala.Console, which keeps the stream it started with
            scala.Console$.MODULE$.withOut(out, () -> {
                kafka.admin.ConfigCommand.main(args);
                return null;
            });
        } finally {
            System.setOut(previous);
            Exit.resetExitProcedure();
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
