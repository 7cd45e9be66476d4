package io.tributary.cli.support;

import io.tributary.cli.output.Output;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options every verb shares ({@code @Mixin}): where the cluster is, how long to wait, how to
 * print, and how much to say about failures. Also builds the kafka-clients configuration from them.
 */
public final class ClientOptions {

    @Option(
            names = {"-b", "--bootstrap-server"},
            paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:TRIBUTARY_BOOTSTRAP:-localhost:9092}",
            description = "Brokers to connect to (Kafka protocol). Default: $$TRIBUTARY_BOOTSTRAP, else localhost:9092 "
                    + "(now ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--metadata-url",
            paramLabel = "URL",
            defaultValue = "${env:TRIBUTARY_METADATA_URL:-http://localhost:8090}",
            description = "The metadata-service REST API, for 'cluster'. Default: $$TRIBUTARY_METADATA_URL, else "
                    + "http://localhost:8090 (now ${DEFAULT-VALUE}).")
    String metadataUrl;

    @Option(
            names = "--coordinator-url",
            paramLabel = "URL",
            defaultValue = "${env:TRIBUTARY_COORDINATOR_URL:-http://localhost:8091}",
            description = "A group-coordinator's REST API, for 'groups history' and 'groups reset-offsets "
                    + "--to-commit-time' (any instance: it forwards to the one serving the group). Default: "
                    + "$$TRIBUTARY_COORDINATOR_URL, else http://localhost:8091 (now ${DEFAULT-VALUE}).")
    String coordinatorUrl;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "A properties file of extra kafka-clients settings (security, timeouts, ...).")
    Path commandConfig;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "15s",
            converter = DurationConverter.class,
            description = "How long to wait for the cluster to answer (500ms, 15s, 1m). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Output.Format output;

    @Option(
            names = {"-v", "--verbose"},
            description = "On failure print the stack trace; show client warnings.")
    boolean verbose;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String metadataUrl() {
        return metadataUrl.endsWith("/") ? metadataUrl.substring(0, metadataUrl.length() - 1) : metadataUrl;
    }

    public String coordinatorUrl() {
        return coordinatorUrl.endsWith("/") ? coordinatorUrl.substring(0, coordinatorUrl.length() - 1) : coordinatorUrl;
    }

    public Duration timeout() {
        return timeout;
    }

    public Output output(CommandSpec spec) {
        return new Output(spec.commandLine().getOut(), output);
    }

    /** Connection settings common to the admin client, the producer and the consumer. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "tributary-cli");
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        // fail fast against a server that is down instead of backing off for up to a second
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig)) {
                props.load(reader);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "Cannot read --command-config " + commandConfig + ": " + e);
            }
        }
        return props;
    }

    /**
     * A client of a service's REST API that logs in with the user and password of
     * {@code --command-config}'s {@code sasl.jaas.config}, if it has one, and trusts its
     * {@code ssl.truststore.*} for {@code https://} URLs.
     */
    public RestClient restClient(String hint) {
        Properties props = clientProperties();
        return new RestClient(
                timeout, hint, HttpCredentials.basicAuthorization(props), HttpCredentials.sslContext(props));
    }

    public Admin admin() {
        Properties props = clientProperties();
        props.putIfAbsent(AdminClientConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        return Admin.create(props);
    }

    /** Waits for an admin result; a time-out becomes one clear "could not reach" failure. */
    public <T> T await(KafkaFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeoutException) {
                throw unreachable(timeoutException);
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // the caller may handle it (an unknown topic with --if-exists, ...)
            }
            throw ExitCodes.asCliException("", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "Interrupted", e);
        }
    }

    /** The failure for a cluster that did not answer within {@code --timeout}. */
    public CliException unreachable(Throwable cause) {
        return new CliException(
                ExitCodes.UNAVAILABLE,
                "No answer from the cluster at " + bootstrapServers + " within " + DurationConverter.format(timeout)
                        + " (" + cause.getMessage() + ")",
                cause);
    }
}
