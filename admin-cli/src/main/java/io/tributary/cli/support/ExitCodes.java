package io.tributary.cli.support;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The exit codes of {@code tributary} and the one mapping from a failure to an exit code and a
 * one-line message on standard error. A stack trace follows only with {@code --verbose}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExitCodes implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** Success. */
    public static final int OK = 0;
    /** An unexpected failure, or one the server reported without a more specific class. */
    public static final int ERROR = 1;
    /** The command line is wrong (picocli's own convention). */
    public static final int USAGE = 2;
    /** The topic, partition or group does not exist. */
    public static final int NOT_FOUND = 3;
    /**
     * The cluster refused the request as invalid: a bad replication factor, partition count or
     * config, an existing topic, a group in use, a group id or session timeout the group
     * coordinator does not take, a full group, a missing ACL.
     */
    public static final int INVALID = 4;
    /** The cluster (or the metadata-service) could not be reached or did not answer in time. */
    public static final int UNAVAILABLE = 5;

    /** What the user sees of a failure. */
    public record Failure(int exitCode, String message) {}

    /** Maps any failure to its exit code and one-line message. */
    public static Failure map(Throwable failure) {
        Throwable e = unwrap(failure);
        String message = messageOf(e);
        if (e instanceof CliException cli) {
            return new Failure(cli.exitCode(), message);
        }
        // before the INVALID group: in kafka-clients 4 it extends InvalidConfigurationException
        if (e instanceof UnsupportedVersionException) {
            return new Failure(ERROR, "The cluster does not support this operation yet: " + message);
        }
        if (e instanceof UnknownTopicOrPartitionException || e instanceof GroupIdNotFoundException) {
            return new Failure(NOT_FOUND, message);
        }
        if (e instanceof InvalidReplicationFactorException
                || e instanceof InvalidPartitionsException
                || e instanceof InvalidConfigurationException
                || e instanceof InvalidTopicException
                || e instanceof InvalidRequestException
                || e instanceof TopicExistsException
                || e instanceof GroupNotEmptyException
                || e instanceof InvalidGroupIdException
                || e instanceof InvalidSessionTimeoutException
                || e instanceof InconsistentGroupProtocolException
                || e instanceof GroupMaxSizeReachedException) {
            return new Failure(INVALID, message);
        }
        if (e instanceof TimeoutException
                || e instanceof ConnectException
                || e instanceof HttpTimeoutException
                || e instanceof HttpConnectTimeoutException) {
            return new Failure(UNAVAILABLE, message);
        }
        if (e instanceof ConfigException && message.contains("resolvable bootstrap")) {
            return new Failure(UNAVAILABLE, "None of the bootstrap servers resolves to an address (" + message + ")");
        }
        if (e instanceof ConfigException) {
            return new Failure(USAGE, "Invalid client configuration: " + message);
        }
        if (e instanceof IllegalArgumentException) {
            return new Failure(USAGE, message);
        }
        return new Failure(ERROR, message);
    }

    /** {@code failure} as the {@link CliException} it maps to, its message after {@code context}. */
    public static CliException asCliException(String context, Throwable failure) {
        Failure mapped = map(failure);
        return new CliException(mapped.exitCode(), context + mapped.message(), failure);
    }

    /** The cause that says what went wrong, past the future and wrapper layers. */
    static Throwable unwrap(Throwable e) {
        Throwable current = e;
        while ((current instanceof ExecutionException
                        || current instanceof CompletionException
                        || current instanceof CommandLine.ExecutionException
                        || (current.getClass() == KafkaException.class && !(current instanceof ApiException)))
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String messageOf(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        // one line, whatever the server sent
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        Failure failure = map(e);
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getColorScheme().errorText("Error: " + failure.message()));
        if (isVerbose(parseResult)) {
            e.printStackTrace(err);
        }
        err.flush();
        return failure.exitCode();
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(commandLine
                .getColorScheme()
                .errorText("Error: " + messageOf(e) + " (see '"
                        + commandLine.getCommandSpec().qualifiedName() + " --help')"));
        err.flush();
        return USAGE;
    }

    private static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult current = parseResult; current != null; current = current.subcommand()) {
            if (current.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
